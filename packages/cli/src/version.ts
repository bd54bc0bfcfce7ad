/** This CLI's version; a test keeps it equal to package.json's. */
export const cliVersion = "0.1.0";
