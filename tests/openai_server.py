"""A small real HTTP server speaking the OpenAI chat-completions protocol on 127.0.0.1, for tests
and benchmarks of the hosted-provider path (litellm and the gateway run unchanged, over real
sockets). A test fixture, never a default."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Reply = tuple[int, dict]


def answer(prompt_tokens: int = 1000, completion_tokens: int = 500, content: str = "hello") -> Reply:
    return 200, {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


class Provider:
    """An OpenAI-compatible server answering from a script: each request takes the next
    (status, body) pair, the last one repeating, or `respond(request body)`'s reply; `hold_s`
    delays every answer."""

    def __init__(self, *script: Reply, hold_s: float = 0.0, respond: Callable[[dict], Reply] | None = None):
        self.script, self.hold_s, self.respond = list(script) or [answer()], hold_s, respond
        self.requests: list[dict] = []
        self.in_flight = self.most_in_flight = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_port}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with provider._lock:
                    provider.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                    scripted = provider.script[min(len(provider.requests), len(provider.script)) - 1]
                    provider.in_flight += 1
                    provider.most_in_flight = max(provider.most_in_flight, provider.in_flight)
                status, reply = provider.respond(body) if provider.respond else scripted
                time.sleep(provider.hold_s)
                with provider._lock:
                    provider.in_flight -= 1
                data = json.dumps(reply).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                    pass

            def log_message(self, *args):  # keep pytest's output clean
                pass

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
