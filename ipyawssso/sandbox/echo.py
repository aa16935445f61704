"""The sandbox's stand-in model for Bedrock Converse: a deterministic echo.

It answers ``Sandbox echo (<model>): <the last user message's text>``, counts whitespace-split
words as tokens and honours ``inferenceConfig.maxTokens`` (stopping with ``max_tokens``), so a
notebook that calls Bedrock runs offline and its output can be asserted exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ApiError

__all__ = ["Reply", "echo_reply"]


@dataclass(frozen=True)
class Reply:
    text: str
    stop_reason: str
    input_tokens: int
    output_tokens: int

    def usage(self) -> dict[str, int]:
        return {
            "inputTokens": self.input_tokens,
            "outputTokens": self.output_tokens,
            "totalTokens": self.input_tokens + self.output_tokens,
        }


def echo_reply(model_id: str, body: Mapping[str, Any]) -> Reply:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ApiError("ValidationException", 400, "messages must hold at least one message.")
    texts: list[str] = []
    for message in messages:
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            raise ApiError(
                "ValidationException", 400, "Each message needs a role of user or assistant."
            )
        content = message.get("content")
        if not isinstance(content, list):
            raise ApiError("ValidationException", 400, "Each message needs a content list.")
        texts.append(" ".join(_texts(content)))
    if messages[-1]["role"] != "user":
        raise ApiError("ValidationException", 400, "A conversation must end with a user message.")
    system = body.get("system") or []
    input_words = sum(len(t.split()) for t in texts)
    input_words += sum(len(t.split()) for t in _texts(system if isinstance(system, list) else []))
    words = f"Sandbox echo ({model_id}): {texts[-1]}".split()
    stop_reason = "end_turn"
    config = body.get("inferenceConfig") or {}
    max_tokens = config.get("maxTokens") if isinstance(config, dict) else None
    if isinstance(max_tokens, int) and 0 < max_tokens < len(words):
        words = words[:max_tokens]
        stop_reason = "max_tokens"
    return Reply(
        text=" ".join(words),
        stop_reason=stop_reason,
        input_tokens=input_words,
        output_tokens=len(words),
    )


def _texts(blocks: list[Any]) -> list[str]:
    return [b["text"] for b in blocks if isinstance(b, dict) and isinstance(b.get("text"), str)]
