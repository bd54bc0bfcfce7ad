// For users: the plugin, to run in-process or from a bin of your own.

export {
  type GrpcOptions,
  type Messages,
  type MethodNames,
  optionNames,
  type ParsedParameter,
  PluginOptionError,
  parseParameter,
} from "./options.js";
export { maximumEdition, minimumEdition, protocGenTs } from "./plugin.js";
export { runNodeJs } from "./run-node.js";
export { pluginVersion } from "./version.js";
