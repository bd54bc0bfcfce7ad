/** This plugin's version; a test keeps it equal to package.json's. */
export const pluginVersion = "0.1.0";
