"""A hostile HTTP/2 peer on Python's h2 (Debian's python3-h2): the frames node:http2's client will
not send. Usage: h2-peer.py PORT ATTACK [hold]. Prints one JSON line with what the server answered:
{"http": ..., "status": ..., "message": ..., "rst": ..., "goaway": ..., "closed": ...}. With "hold",
it prints {"ready": true} once the attack is sent and then reads until the server closes the
connection (for stop(grace) with the peer connected), printing the answer then.
"""
import json
import socket
import sys
import time

import h2.config
import h2.connection
import h2.events
from hpack import Encoder
from hyperframe.frame import ContinuationFrame, HeadersFrame

port, attack = int(sys.argv[1]), sys.argv[2]
hold = len(sys.argv) > 3 and sys.argv[3] == "hold"

GRPC = [(":method", "POST"), (":scheme", "http"), (":path", "/test.Attack/Echo"), (":authority", f"127.0.0.1:{port}"),
        ("content-type", "application/grpc"), ("te", "trailers")]
MESSAGE = b"\x00\x00\x00\x00\x02hi"

sock = socket.create_connection(("127.0.0.1", port))
# No validation or normalisation of what we send: sending what is invalid is the point.
config = h2.config.H2Configuration(client_side=True, validate_outbound_headers=False, normalize_outbound_headers=False,
                                   validate_inbound_headers=False)
conn = h2.connection.H2Connection(config=config)
conn.initiate_connection()
sock.sendall(conn.data_to_send())
answer = {"http": None, "status": None, "message": None, "rst": None, "goaway": None, "closed": False}


def request(headers, body=MESSAGE):
    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, headers)
    if body is not None:
        conn.send_data(stream, body, end_stream=True)
    sock.sendall(conn.data_to_send())


def raw_headers(headers, continuations, end_headers_last):
    """A HEADERS frame without END_HEADERS, then `continuations` CONTINUATION frames; h2 would not."""
    stream = conn.get_next_available_stream_id()
    # h2 then treats the server's replies on it as on a closed stream (reported as RST or GOAWAY).
    conn.highest_outbound_stream_id = stream
    block = Encoder().encode(headers)
    frame = HeadersFrame(stream, block)
    sock.sendall(frame.serialize())
    filler = Encoder().encode([("x-c", "v")])
    for i in range(continuations):
        cont = ContinuationFrame(stream, filler)
        if end_headers_last and i == continuations - 1:
            cont.flags.add("END_HEADERS")
        try:
            sock.sendall(cont.serialize())
        except OSError:
            break


if attack == "continuation-flood":
    # CVE-2024-27983/-27316: CONTINUATION frames without END_HEADERS, without end.
    raw_headers(GRPC, 10_000, False)
elif attack == "continuation-hold":
    # A header block that never ends: one HEADERS frame without END_HEADERS, then nothing.
    raw_headers(GRPC, 0, False)
elif attack == "missing-path":
    request([h for h in GRPC if h[0] != ":path"])
elif attack == "uppercase-key":
    request(GRPC + [("X-Upper", "v")])
elif attack == "invalid-key":
    request(GRPC + [("x key", "v")])
elif attack == "invalid-bin":
    request(GRPC + [("x-bin", "!!not base64!!")])
elif attack == "pseudo-after-regular":
    request(GRPC[:2] + [("x-a", "b")] + GRPC[2:])
else:
    sys.exit(f"unknown attack {attack!r}")

if hold:
    print(json.dumps({"ready": True}), flush=True)

sock.settimeout(None if hold else 5)
deadline = None if hold else time.monotonic() + 5
done = False
while not done and (deadline is None or time.monotonic() < deadline):
    try:
        data = sock.recv(65536)
    except (socket.timeout, OSError):
        break
    if not data:
        answer["closed"] = True
        break
    try:
        events = conn.receive_data(data)
    except Exception as error:  # noqa: BLE001 - what the server sent is reported, not judged here
        answer["error"] = type(error).__name__
        break
    for event in events:
        if isinstance(event, h2.events.ResponseReceived):
            for name, value in event.headers:
                if name == b":status":
                    answer["http"] = int(value)
                elif name == b"grpc-status":
                    answer["status"] = value.decode()
                elif name == b"grpc-message":
                    answer["message"] = value.decode()
        elif isinstance(event, h2.events.TrailersReceived):
            for name, value in event.headers:
                if name == b"grpc-status":
                    answer["status"] = value.decode()
                elif name == b"grpc-message":
                    answer["message"] = value.decode()
        elif isinstance(event, h2.events.DataReceived):
            conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.StreamReset):
            answer["rst"] = int(event.error_code)
            done = not hold
        elif isinstance(event, h2.events.StreamEnded):
            done = not hold
        elif isinstance(event, h2.events.ConnectionTerminated):
            answer["goaway"] = int(event.error_code)
    out = conn.data_to_send()
    if out:
        try:
            sock.sendall(out)
        except OSError:
            break
sock.close()
print(json.dumps(answer), flush=True)
