"""An HTTP/2 server on Python's h2 (Debian's python3-h2) that sends what node:http2's server will
not: a GOAWAY whose last stream id is 0, refusing a request it has not processed. Its first
connection answers the first request with GOAWAY(NO_ERROR, last_stream_id=0); later connections
answer every request with one gRPC message {"text":"retried"} and grpc-status 0. Prints the port,
then "refused" or "answered" per request. Exits when stdin closes. Usage: goaway-server.py
"""
import json
import os
import socket
import sys
import threading

import h2.config
import h2.connection
import h2.events

listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen()
print(listener.getsockname()[1], flush=True)
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()

body = json.dumps({"text": "retried"}, separators=(",", ":")).encode()
message = b"\x00" + len(body).to_bytes(4, "big") + body


def serve(sock, refuse):
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    while True:
        try:
            data = sock.recv(65535)
        except OSError:
            break
        if not data:
            break
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.RequestReceived):
                if refuse:
                    conn.close_connection(last_stream_id=0)
                    print("refused", flush=True)
                else:
                    conn.send_headers(event.stream_id, [(":status", "200"), ("content-type", "application/grpc")])
                    conn.send_data(event.stream_id, message)
                    conn.send_headers(event.stream_id, [("grpc-status", "0")], end_stream=True)
                    print("answered", flush=True)
            elif isinstance(event, h2.events.DataReceived):
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        out = conn.data_to_send()
        if out:
            sock.sendall(out)
    sock.close()


connections = 0
while True:
    sock, _ = listener.accept()
    connections += 1
    threading.Thread(target=serve, args=(sock, connections == 1), daemon=True).start()
