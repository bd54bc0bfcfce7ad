import {
  type Context,
  context as otelContext,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { type ClientInterceptor, type Metadata, type ServerInterceptor, StatusCode, statusCodeName } from "@tsgrpc/runtime";
import { aroundBehaviours, aroundCalls, splitMethodPath } from "./rpc-observer.js";

/** Where tracing interceptors get their tracer and how they carry the trace across the wire. */
export interface TracingOptions {
  /** Default: the global tracer provider's (a no-op until an SDK is installed). */
  tracer?: Tracer;
  /** Default: the global propagator (W3C `traceparent` once an SDK registers it; else nothing). */
  propagator?: Pick<TextMapPropagator, "inject" | "extract">;
}

const setter: TextMapSetter<Metadata> = { set: (metadata, key, value) => metadata.set(key, value) };
const getter: TextMapGetter<Metadata> = {
  keys: (metadata) => metadata.keys(),
  get: (metadata, key) => {
    const value = metadata.get(key);
    return typeof value === "string" ? value : undefined;
  },
};

// The semantic conventions: a server span is an error only for codes that mean the server failed.
const serverErrorCodes = new Set([
  StatusCode.UNKNOWN,
  StatusCode.DEADLINE_EXCEEDED,
  StatusCode.UNIMPLEMENTED,
  StatusCode.INTERNAL,
  StatusCode.UNAVAILABLE,
  StatusCode.DATA_LOSS,
]);

function endSpan(span: Span, code: StatusCode, details: string, isError: boolean): void {
  span.setAttribute("rpc.grpc.status_code", code);
  if (isError) span.setStatus({ code: SpanStatusCode.ERROR, message: `${statusCodeName(code)}: ${details}` });
  span.end();
}

const attributesOf = (path: string) => {
  const { service, method } = splitMethodPath(path);
  return { name: `${service}/${method}`, attributes: { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method } };
};

/**
 * A client interceptor that makes a CLIENT span per call (named `users.Users/GetUsers`, ended with
 * the call's status) and sends the trace context in the request metadata, so the server's spans
 * join the same trace.
 *
 * @see https://opentelemetry.io/docs/specs/semconv/rpc/grpc/
 */
export function tracingClientInterceptor(options: TracingOptions = {}): ClientInterceptor {
  const tracer = options.tracer ?? trace.getTracer("@tsgrpc/examples");
  const propagator = options.propagator ?? propagation;
  return aroundCalls((details, _type, start) => {
    const { name, attributes } = attributesOf(details.method);
    const parent = otelContext.active();
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    const metadata = details.metadata.clone();
    propagator.inject(trace.setSpan(parent, span), metadata, setter);
    const call = start({ ...details, metadata });
    const ended = () =>
      void Promise.all([call.code(), call.details()]).then(([code, text]) => endSpan(span, code, text, code !== StatusCode.OK));
    if (!call.addCallback(ended)) ended();
    return call;
  });
}

/**
 * A server interceptor that makes a SERVER span per RPC, a child of the client's span when the
 * request carries a trace context, active while the handler runs and ended with the final status.
 */
export function tracingServerInterceptor(options: TracingOptions = {}): ServerInterceptor {
  const tracer = options.tracer ?? trace.getTracer("@tsgrpc/examples");
  const propagator = options.propagator ?? propagation;
  return {
    async interceptService(continuation, details) {
      const handler = await continuation(details);
      if (handler === null) return null;
      const { name, attributes } = attributesOf(details.method);
      return aroundBehaviours(handler, (context, run) => {
        const parent: Context = propagator.extract(ROOT_CONTEXT, details.invocationMetadata, getter);
        const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
        const ended = () => {
          const code = context.code() ?? StatusCode.OK;
          endSpan(span, code, context.details() ?? "", serverErrorCodes.has(code));
        };
        if (!context.addCallback(ended)) ended();
        return otelContext.with(trace.setSpan(parent, span), run);
      });
    },
  };
}
