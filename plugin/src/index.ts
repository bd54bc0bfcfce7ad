// For users: the plugin, to run in-process or from a bin of your own.
export { protocGenTs, minimumEdition, maximumEdition } from "./plugin.js";
export { runNodeJs } from "./run-node.js";
export {
  optionNames,
  parseParameter,
  PluginOptionError,
  type GrpcOptions,
  type Messages,
  type MethodNames,
  type ParsedParameter,
} from "./options.js";
export { pluginVersion } from "./version.js";
