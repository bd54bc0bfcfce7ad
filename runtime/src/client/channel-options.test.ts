import { grpcJsChannelArguments } from "../grpc-js/channels.js";
import { defaultChannelArguments, insecureChannel } from "../transports/channel.js";
import { channelSettings, defaultChannelSettings } from "./channel-options.js";

describe("channelSettings", () => {
  it("fills in the defaults: grpcio's limits, keepalive every 5 minutes, tsgrpc's user agent", () => {
    expect(channelSettings({})).toEqual(defaultChannelSettings);
    expect(defaultChannelSettings).toMatchObject({
      maxReceiveMessageLength: 4 * 1024 * 1024,
      maxSendMessageLength: Number.POSITIVE_INFINITY,
      keepaliveTime: 300,
      keepaliveTimeout: 20,
      loadBalancingPolicy: "pick_first",
      enableRetries: true,
    });
  });

  it("takes grpcio's -1 for no limit, and puts the application's user agent first", () => {
    const settings = channelSettings({ maxReceiveMessageLength: -1, primaryUserAgent: "billing/2.1" });
    expect(settings.maxReceiveMessageLength).toBe(Number.POSITIVE_INFINITY);
    expect(settings.userAgent).toBe(`billing/2.1 ${defaultChannelSettings.userAgent}`);
  });

  it.each([
    [{ keepaliveTime: 0 }, "keepaliveTime must be a positive number of seconds (or Infinity), got 0"],
    [{ maxSendMessageLength: 1.5 }, "maxSendMessageLength must be a number of bytes (0 or more; -1 or Infinity for no limit), got 1.5"],
    [{ enableRetries: "yes" }, "enableRetries must be true or false, got yes"],
    [{ loadBalancingPolicy: "random" }, 'loadBalancingPolicy must be "pick_first" or "round_robin", got "random"'],
    [{ defaultAuthority: "" }, 'defaultAuthority must be a non-empty string on one line, got ""'],
    [{ primaryUserAgent: "a\r\nx-evil: 1" }, 'primaryUserAgent must be a non-empty string on one line, got "a\\r\\nx-evil: 1"'],
  ])("refuses %j naming the option", (options, message) => {
    expect(() => channelSettings(options as never)).toThrow(message);
  });

  it("names the nearest valid option of a misspelt one", () => {
    expect(() => channelSettings({ keepAliveTime: 10 } as never)).toThrow(
      /^Unknown channel option "keepAliveTime" \(did you mean "keepaliveTime"\?\): /,
    );
  });

  it("refuses an unknown option by name, listing the valid ones", () => {
    expect(() => channelSettings({ maxRecieveMessageLength: 10 } as never)).toThrow(
      /^Unknown channel option "maxRecieveMessageLength" \(did you mean "maxReceiveMessageLength"\?\): the valid ones are transport, compression, interceptors, maxReceiveMessageLength, .*, idleTimeout, options$/,
    );
  });
});

describe("the grpc-js transport's channel arguments", () => {
  it("translate the settings: milliseconds, -1 for no limit, round_robin as a service config", () => {
    const args = grpcJsChannelArguments(
      channelSettings({ keepaliveTime: 30, maxReceiveMessageLength: Infinity, loadBalancingPolicy: "round_robin", enableRetries: false }),
    );
    expect(args).toMatchObject({
      "grpc.keepalive_time_ms": 30_000,
      "grpc.keepalive_timeout_ms": 20_000,
      "grpc.max_receive_message_length": -1,
      "grpc.service_config": '{"loadBalancingConfig":[{"round_robin":{}}]}',
      "grpc.enable_retries": 0,
    });
    expect(grpcJsChannelArguments(channelSettings({ keepaliveTime: Infinity }))).not.toHaveProperty("grpc.keepalive_time_ms");
    // Past Node's longest timer, a duration is the longest timer, not one that fires at once.
    expect(grpcJsChannelArguments(channelSettings({ keepaliveTime: 1e9, maxReconnectBackoff: Infinity }))).toMatchObject({
      "grpc.keepalive_time_ms": 2 ** 31 - 1,
      "grpc.max_reconnect_backoff_ms": 2 ** 31 - 1,
    });
  });

  it("are, for the defaults, the exported defaultChannelArguments", () => {
    expect(defaultChannelArguments).toEqual(grpcJsChannelArguments(defaultChannelSettings));
    expect(defaultChannelArguments).toMatchObject({ "grpc.keepalive_time_ms": 300_000, "grpc.enable_channelz": 0 });
  });

  it("refuse a raw argument that a typed option given too covers, naming both", () => {
    expect(() => insecureChannel("127.0.0.1:1", { keepaliveTime: 10, options: { "grpc.keepalive_time_ms": 5000 } })).toThrow(
      'Channel options give both keepaliveTime and its grpc-js argument "grpc.keepalive_time_ms" (in options): give one',
    );
    expect(() => insecureChannel("127.0.0.1:1", { loadBalancingPolicy: "round_robin", options: { "grpc.service_config": "{}" } })).toThrow(
      /loadBalancingPolicy and its grpc-js argument "grpc.service_config"/,
    );
  });
});
