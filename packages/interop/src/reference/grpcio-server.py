#!/usr/bin/python3
"""The gRPC interop TestService on Python's grpcio (C-core): the C-core peer tsgrpc's client is
checked against. Written for tsgrpc from the interop descriptions (shared/interop/SPEC.md), no tsgrpc
code, and run by ./grpcio-server.ts.

    /usr/bin/python3 grpcio-server.py --port 0 --stubs DIR

DIR holds messages_pb2.py, generated from packages/interop/proto with grpc_tools.protoc. The server
prints "listening on port N" once it serves, and stops when its stdin closes (or on SIGTERM).

Request compression is checked per message, as C-core's own interop servers do: the channel option
grpc.per_message_decompression=0 makes C-core hand each request to the handler as it arrived, so the
handlers take raw bytes and a gzip or zlib header says the message was compressed. A request that
expects compression and arrived uncompressed, or the reverse, ends the RPC with INVALID_ARGUMENT.
"""

import argparse
import gzip
import importlib
import signal
import sys
import threading
import time
import zlib
from concurrent import futures

import grpc

SERVICE = "grpc.testing.TestService"
ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"
STATUS_CODES = {code.value[0]: code for code in grpc.StatusCode}


def decompress(raw):
    """The message bytes of a request, and whether they arrived compressed.

    No interop request starts with these bytes when uncompressed: 0x1f would be field 3 with the
    invalid wire type 7, and 0x78 field 15, which no interop message has.
    """
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw), True
    if len(raw) >= 2 and raw[0] == 0x78 and (raw[0] * 256 + raw[1]) % 31 == 0:
        return zlib.decompress(raw), True
    return raw, False


class TestService:
    def __init__(self, messages):
        self.m = messages

    def parse(self, message_type, raw, context):
        """Decodes one request, ending the RPC if its compression is not what it expects."""
        data, compressed = decompress(raw)
        request = message_type.FromString(data)
        if "expect_compressed" not in message_type.DESCRIPTOR.fields_by_name:
            return request
        expected = request.expect_compressed.value
        if expected and not compressed:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "Expected a compressed request, got it uncompressed")
        if compressed and not expected:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "Expected an uncompressed request, got it compressed")
        return request

    def requests(self, message_type, raw_iterator, context):
        for raw in raw_iterator:
            yield self.parse(message_type, raw, context)

    def payload(self, response_type, size, context):
        if response_type != self.m.COMPRESSABLE:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "unsupported response type %d" % response_type)
        if size < 0:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "negative response size %d" % size)
        return self.m.Payload(type=self.m.COMPRESSABLE, body=bytes(size))

    def EmptyCall(self, raw, context):
        echo_metadata(context)
        return b""  # an encoded grpc.testing.Empty

    def UnaryCall(self, raw, context):
        request = self.parse(self.m.SimpleRequest, raw, context)
        # Before the echoed headers: the algorithm goes out with the response headers.
        if request.response_compressed.value:
            context.set_compression(grpc.Compression.Gzip)
        echo_metadata(context)
        echo_status(request.response_status, context)
        return self.m.SimpleResponse(payload=self.payload(request.response_type, request.response_size, context))

    def StreamingOutputCall(self, raw, context):
        request = self.parse(self.m.StreamingOutputCallRequest, raw, context)
        compress_if_any(request.response_parameters, context)
        echo_metadata(context)
        for parameters in request.response_parameters:
            yield self.respond(request.response_type, parameters, context)
        echo_status(request.response_status, context)

    def StreamingInputCall(self, raw_iterator, context):
        echo_metadata(context)
        size = 0
        for request in self.requests(self.m.StreamingInputCallRequest, raw_iterator, context):
            size += len(request.payload.body)
        return self.m.StreamingInputCallResponse(aggregated_payload_size=size)

    def FullDuplexCall(self, raw_iterator, context):
        echo_metadata(context)
        for request in self.requests(self.m.StreamingOutputCallRequest, raw_iterator, context):
            yield from self.answer(request, context)

    def HalfDuplexCall(self, raw_iterator, context):
        echo_metadata(context)
        for request in list(self.requests(self.m.StreamingOutputCallRequest, raw_iterator, context)):
            yield from self.answer(request, context)

    def answer(self, request, context):
        echo_status(request.response_status, context)
        for parameters in request.response_parameters:
            yield self.respond(request.response_type, parameters, context)

    def respond(self, response_type, parameters, context):
        if parameters.interval_us > 0:
            time.sleep(parameters.interval_us / 1e6)
        if not parameters.compressed.value:
            context.disable_next_message_compression()
        return self.m.StreamingOutputCallResponse(payload=self.payload(response_type, parameters.size, context))


def echo_metadata(context):
    """The initial test header back in the response headers, the binary one in the trailers."""
    metadata = dict(context.invocation_metadata())
    if ECHO_INITIAL in metadata:
        context.send_initial_metadata(((ECHO_INITIAL, metadata[ECHO_INITIAL]),))
    if ECHO_TRAILING in metadata:
        context.set_trailing_metadata(((ECHO_TRAILING, metadata[ECHO_TRAILING]),))


def echo_status(status, context):
    if status.code != 0:
        context.abort(STATUS_CODES.get(status.code, grpc.StatusCode.UNKNOWN), status.message)


def compress_if_any(parameters, context):
    """Compresses the call if any response asks for it; `respond` then exempts the others."""
    if any(p.compressed.value for p in parameters):
        context.set_compression(grpc.Compression.Gzip)


def handlers(service):
    # Requests stay bytes (no deserializer), so that `parse` sees how each one arrived.
    raw = dict(request_deserializer=None, response_serializer=serialize)
    return {
        "EmptyCall": grpc.unary_unary_rpc_method_handler(service.EmptyCall, **raw),
        "UnaryCall": grpc.unary_unary_rpc_method_handler(service.UnaryCall, **raw),
        "CacheableUnaryCall": grpc.unary_unary_rpc_method_handler(service.UnaryCall, **raw),
        "StreamingOutputCall": grpc.unary_stream_rpc_method_handler(service.StreamingOutputCall, **raw),
        "StreamingInputCall": grpc.stream_unary_rpc_method_handler(service.StreamingInputCall, **raw),
        "FullDuplexCall": grpc.stream_stream_rpc_method_handler(service.FullDuplexCall, **raw),
        "HalfDuplexCall": grpc.stream_stream_rpc_method_handler(service.HalfDuplexCall, **raw),
        # UnimplementedCall is not registered: grpcio answers UNIMPLEMENTED, as the cases require.
    }


def serialize(message):
    return message if isinstance(message, bytes) else message.SerializeToString()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="port to listen on (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("--stubs", required=True, help="directory holding messages_pb2.py")
    parser.add_argument("--key_file", help="serve TLS with this private key (PEM), with --cert_file")
    parser.add_argument("--cert_file", help="serve TLS with this certificate chain (PEM), with --key_file")
    args = parser.parse_args()
    sys.path.insert(0, args.stubs)
    messages = importlib.import_module("messages_pb2")

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=16),
        options=[("grpc.per_message_decompression", 0)],
    )
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers(TestService(messages))),))
    address = "%s:%d" % (args.host, args.port)
    if args.key_file:
        with open(args.key_file, "rb") as key, open(args.cert_file, "rb") as cert:
            credentials = grpc.ssl_server_credentials([(key.read(), cert.read())])
        port = server.add_secure_port(address, credentials)
    else:
        port = server.add_insecure_port(address)
    server.start()
    print("listening on port %d" % port, flush=True)

    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stopped.set()), daemon=True).start()
    stopped.wait()
    server.stop(None).wait()


if __name__ == "__main__":
    main()
