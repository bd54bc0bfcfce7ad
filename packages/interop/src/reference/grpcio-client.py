#!/usr/bin/python3
"""The gRPC interop client on Python's grpcio (C-core): the C-core peer tsgrpc's servers are checked
against. Written for tsgrpc from the interop descriptions (shared/interop/SPEC.md), no tsgrpc code,
and run by ./grpcio-client.ts.

    /usr/bin/python3 grpcio-client.py --server_port N --stubs DIR [--test_case all] [--use_tls --ca_file F]

DIR holds messages_pb2.py, generated from packages/interop/proto with grpc_tools.protoc. It prints
one line per case ("PASS name" or "FAIL name: why") and then "N passed, N failed"; it exits 0 only
if none failed.

Response compression is checked per message: the channel option grpc.per_message_decompression=0
makes C-core hand each response over as it arrived, so the cases take raw bytes and a gzip or zlib
header says the message was compressed.

One deviation, forced by grpcio's API: client_compressed_streaming's second message cannot be sent
uncompressed on a compressed call (Python has no per-message "do not compress" flag), so it is sent
compressed, with expect_compressed true.
"""

import argparse
import gzip
import importlib
import queue
import sys
import zlib

import grpc

SERVICE = "grpc.testing.TestService"
ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"
SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"


class CaseFailed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise CaseFailed(what)


def decompress(raw):
    """The message bytes of a response, and whether it arrived compressed (as in grpcio-server.py)."""
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw), True
    if len(raw) >= 2 and raw[0] == 0x78 and (raw[0] * 256 + raw[1]) % 31 == 0:
        return zlib.decompress(raw), True
    return raw, False


def serialize(message):
    return message if isinstance(message, bytes) else message.SerializeToString()


class Requests:
    """A request iterator fed one message at a time; `close()` half-closes it."""

    def __init__(self):
        self.queue = queue.Queue()

    def send(self, message):
        self.queue.put(message)

    def close(self):
        self.queue.put(None)

    def __iter__(self):
        return self

    def __next__(self):
        message = self.queue.get()
        if message is None:
            raise StopIteration
        return message


class Cases:
    def __init__(self, channel, messages):
        self.channel = channel
        self.m = messages

    def method(self, kind, name, service=SERVICE):
        make = getattr(self.channel, kind)
        return make("/%s/%s" % (service, name), request_serializer=serialize, response_deserializer=None)

    def parse(self, message_type, raw):
        data, compressed = decompress(raw)
        return message_type.FromString(data), compressed

    def expect_code(self, call, code, details=None):
        try:
            call()
        except grpc.RpcError as error:
            check(error.code() == code, "expected %s, got %s %r" % (code, error.code(), error.details()))
            if details is not None:
                check(error.details() == details, "status message %r, expected %r" % (error.details(), details))
            return
        raise CaseFailed("expected %s, got OK" % code)

    def large_request(self, **fields):
        return self.m.SimpleRequest(response_type=self.m.COMPRESSABLE, response_size=314159, payload=self.m.Payload(body=bytes(271828)), **fields)

    def check_zeros(self, body, size, what):
        check(len(body) == size, "%s: payload size %d, expected %d" % (what, len(body), size))
        check(body == bytes(size), "%s: payload of zero bytes" % what)

    def empty_unary(self):
        raw = self.method("unary_unary", "EmptyCall")(b"")
        check(raw == b"", "empty response")

    def large_unary(self):
        response, _ = self.parse(self.m.SimpleResponse, self.method("unary_unary", "UnaryCall")(self.large_request()))
        self.check_zeros(response.payload.body, 314159, "response")

    def client_compressed_unary(self):
        call = self.method("unary_unary", "UnaryCall")
        expect = lambda value: self.m.BoolValue(value=value)
        self.expect_code(lambda: call(self.large_request(expect_compressed=expect(True))), grpc.StatusCode.INVALID_ARGUMENT)
        response, _ = self.parse(self.m.SimpleResponse, call(self.large_request(expect_compressed=expect(True)), compression=grpc.Compression.Gzip))
        self.check_zeros(response.payload.body, 314159, "compressed request")
        response, _ = self.parse(self.m.SimpleResponse, call(self.large_request(expect_compressed=expect(False))))
        self.check_zeros(response.payload.body, 314159, "uncompressed request")

    def server_compressed_unary(self):
        call = self.method("unary_unary", "UnaryCall")
        for value in (True, False):
            response, compressed = self.parse(self.m.SimpleResponse, call(self.large_request(response_compressed=self.m.BoolValue(value=value))))
            check(compressed == value, "response_compressed=%s: response arrived %s" % (value, "compressed" if compressed else "uncompressed"))
            self.check_zeros(response.payload.body, 314159, "response_compressed=%s" % value)

    def client_streaming(self):
        requests = [self.m.StreamingInputCallRequest(payload=self.m.Payload(body=bytes(size))) for size in (27182, 8, 1828, 45904)]
        response, _ = self.parse(self.m.StreamingInputCallResponse, self.method("stream_unary", "StreamingInputCall")(iter(requests)))
        check(response.aggregated_payload_size == 74922, "aggregated payload size %d" % response.aggregated_payload_size)

    def client_compressed_streaming(self):
        call = self.method("stream_unary", "StreamingInputCall")
        expect = self.m.BoolValue(value=True)
        probe = [self.m.StreamingInputCallRequest(payload=self.m.Payload(body=bytes(27182)), expect_compressed=expect)]
        self.expect_code(lambda: call(iter(probe)), grpc.StatusCode.INVALID_ARGUMENT)
        requests = [self.m.StreamingInputCallRequest(payload=self.m.Payload(body=bytes(size)), expect_compressed=expect) for size in (27182, 45904)]
        response, _ = self.parse(self.m.StreamingInputCallResponse, call(iter(requests), compression=grpc.Compression.Gzip))
        check(response.aggregated_payload_size == 73086, "aggregated payload size %d" % response.aggregated_payload_size)

    def server_streaming(self):
        sizes = [31415, 9, 2653, 58979]
        request = self.m.StreamingOutputCallRequest(response_type=self.m.COMPRESSABLE, response_parameters=[self.m.ResponseParameters(size=s) for s in sizes])
        got = [len(self.parse(self.m.StreamingOutputCallResponse, raw)[0].payload.body) for raw in self.method("unary_stream", "StreamingOutputCall")(request)]
        check(got == sizes, "response sizes %s" % got)

    def server_compressed_streaming(self):
        parameters = [
            self.m.ResponseParameters(size=31415, compressed=self.m.BoolValue(value=True)),
            self.m.ResponseParameters(size=92653, compressed=self.m.BoolValue(value=False)),
        ]
        request = self.m.StreamingOutputCallRequest(response_type=self.m.COMPRESSABLE, response_parameters=parameters)
        got = [self.parse(self.m.StreamingOutputCallResponse, raw) for raw in self.method("unary_stream", "StreamingOutputCall")(request)]
        check([len(r.payload.body) for r, _ in got] == [31415, 92653], "response sizes %s" % [len(r.payload.body) for r, _ in got])
        check([c for _, c in got] == [True, False], "compressed flags %s, expected [True, False]" % [c for _, c in got])

    def ping_pong(self):
        requests = Requests()
        call = self.method("stream_stream", "FullDuplexCall")(requests)
        try:
            for response_size, request_size in ((31415, 27182), (9, 8), (2653, 1828), (58979, 45904)):
                requests.send(
                    self.m.StreamingOutputCallRequest(
                        response_type=self.m.COMPRESSABLE,
                        response_parameters=[self.m.ResponseParameters(size=response_size)],
                        payload=self.m.Payload(body=bytes(request_size)),
                    )
                )
                response, _ = self.parse(self.m.StreamingOutputCallResponse, next(call))
                check(len(response.payload.body) == response_size, "response size %d, expected %d" % (len(response.payload.body), response_size))
            requests.close()
            check(next(call, None) is None, "no more responses after half-close")
        finally:
            call.cancel()

    def empty_stream(self):
        call = self.method("stream_stream", "FullDuplexCall")(iter([]))
        check(list(call) == [], "zero responses")
        check(call.code() == grpc.StatusCode.OK, "status %s" % call.code())

    def timeout_on_sleeping_server(self):
        requests = Requests()
        requests.send(self.m.StreamingOutputCallRequest(payload=self.m.Payload(body=bytes(27182))))
        call = self.method("stream_stream", "FullDuplexCall")(requests, timeout=0.001)
        try:
            self.expect_code(lambda: list(call), grpc.StatusCode.DEADLINE_EXCEEDED)
        finally:
            requests.close()

    def cancel_after_begin(self):
        requests = Requests()
        future = self.method("stream_unary", "StreamingInputCall").future(requests)
        future.cancel()
        requests.close()
        check(future.cancelled(), "the call was not cancelled")
        check(future.code() == grpc.StatusCode.CANCELLED, "status %s" % future.code())

    def cancel_after_first_response(self):
        requests = Requests()
        call = self.method("stream_stream", "FullDuplexCall")(requests)
        requests.send(
            self.m.StreamingOutputCallRequest(
                response_type=self.m.COMPRESSABLE,
                response_parameters=[self.m.ResponseParameters(size=31415)],
                payload=self.m.Payload(body=bytes(27182)),
            )
        )
        response, _ = self.parse(self.m.StreamingOutputCallResponse, next(call))
        check(len(response.payload.body) == 31415, "first response size")
        call.cancel()
        requests.close()
        self.expect_code(lambda: next(call), grpc.StatusCode.CANCELLED)

    def custom_metadata(self):
        metadata = ((ECHO_INITIAL, "test_initial_metadata_value"), (ECHO_TRAILING, b"\xab\xab\xab"))

        def check_echo(initial, trailing, what):
            check(dict(initial).get(ECHO_INITIAL) == "test_initial_metadata_value", "%s: echoed initial metadata %r" % (what, initial))
            check(dict(trailing).get(ECHO_TRAILING) == b"\xab\xab\xab", "%s: echoed trailing metadata %r" % (what, trailing))

        raw, call = self.method("unary_unary", "UnaryCall").with_call(self.large_request(), metadata=metadata)
        self.check_zeros(self.parse(self.m.SimpleResponse, raw)[0].payload.body, 314159, "unary response")
        check_echo(call.initial_metadata(), call.trailing_metadata(), "unary")
        request = self.m.StreamingOutputCallRequest(
            response_type=self.m.COMPRESSABLE, response_parameters=[self.m.ResponseParameters(size=314159)], payload=self.m.Payload(body=bytes(271828))
        )
        stream = self.method("stream_stream", "FullDuplexCall")(iter([request]), metadata=metadata)
        sizes = [len(self.parse(self.m.StreamingOutputCallResponse, raw)[0].payload.body) for raw in stream]
        check(sizes == [314159], "streamed response sizes %s" % sizes)
        check_echo(stream.initial_metadata(), stream.trailing_metadata(), "full duplex")

    def status_code_and_message(self):
        status = self.m.EchoStatus(code=2, message="test status message")
        self.expect_code(lambda: self.method("unary_unary", "UnaryCall")(self.m.SimpleRequest(response_status=status)), grpc.StatusCode.UNKNOWN, status.message)
        request = self.m.StreamingOutputCallRequest(response_status=status)
        self.expect_code(lambda: list(self.method("stream_stream", "FullDuplexCall")(iter([request]))), grpc.StatusCode.UNKNOWN, status.message)

    def special_status_message(self):
        status = self.m.EchoStatus(code=2, message=SPECIAL_MESSAGE)
        self.expect_code(lambda: self.method("unary_unary", "UnaryCall")(self.m.SimpleRequest(response_status=status)), grpc.StatusCode.UNKNOWN, SPECIAL_MESSAGE)

    def unimplemented_method(self):
        self.expect_code(lambda: self.method("unary_unary", "UnimplementedCall")(b""), grpc.StatusCode.UNIMPLEMENTED)

    def unimplemented_service(self):
        call = self.method("unary_unary", "UnimplementedCall", service="grpc.testing.UnimplementedService")
        self.expect_code(lambda: call(b""), grpc.StatusCode.UNIMPLEMENTED)


CASES = [
    "empty_unary",
    "large_unary",
    "client_compressed_unary",
    "server_compressed_unary",
    "client_streaming",
    "client_compressed_streaming",
    "server_streaming",
    "server_compressed_streaming",
    "ping_pong",
    "empty_stream",
    "timeout_on_sleeping_server",
    "cancel_after_begin",
    "cancel_after_first_response",
    "custom_metadata",
    "status_code_and_message",
    "special_status_message",
    "unimplemented_method",
    "unimplemented_service",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server_host", default="127.0.0.1")
    parser.add_argument("--server_port", type=int, required=True)
    parser.add_argument("--test_case", default="all", help="a case, a comma list, or all")
    parser.add_argument("--use_tls", action="store_true")
    parser.add_argument("--ca_file", help="with --use_tls: the CA certificate to trust (PEM)")
    parser.add_argument("--server_host_override", help="with --use_tls: the name the server certificate must have")
    parser.add_argument("--stubs", required=True, help="directory holding messages_pb2.py")
    args = parser.parse_args()
    sys.path.insert(0, args.stubs)
    messages = importlib.import_module("messages_pb2")
    names = CASES if args.test_case == "all" else args.test_case.split(",")
    unknown = [name for name in names if name not in CASES]
    if unknown:
        parser.error("unknown test case %s; the cases are: %s" % (", ".join(unknown), ", ".join(CASES)))

    target = "%s:%d" % (args.server_host, args.server_port)
    options = [("grpc.per_message_decompression", 0)]
    if args.use_tls:
        roots = open(args.ca_file, "rb").read() if args.ca_file else None
        if args.server_host_override:
            options.append(("grpc.ssl_target_name_override", args.server_host_override))
        channel = grpc.secure_channel(target, grpc.ssl_channel_credentials(roots), options=options)
    else:
        channel = grpc.insecure_channel(target, options=options)
    cases = Cases(channel, messages)
    passed = failed = 0
    for name in names:
        try:
            getattr(cases, name)()
            print("PASS %s" % name, flush=True)
            passed += 1
        except Exception as error:  # a case's failure, whatever raised it
            reason = str(error).replace("\n", " ") or type(error).__name__
            if isinstance(error, grpc.RpcError):
                reason = "%s %r" % (error.code(), error.details())
            print("FAIL %s: %s" % (name, reason), flush=True)
            failed += 1
    channel.close()
    print("%d passed, %d failed" % (passed, failed), flush=True)
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()
