"""Code in messages is code in HTML and plain words in text, never literal backticks."""

from __future__ import annotations

from ipyawssso.display import code_text_bundle
from ipyawssso.widgets.markup import message_html


def test_session_lines_show_code_as_code():
    bundle = code_text_bundle(
        "`session` is a boto3.Session for profile 'ai-dev'.\n`br` is a bedrock-runtime client."
    )
    assert bundle["text/plain"] == (
        "session is a boto3.Session for profile 'ai-dev'.\nbr is a bedrock-runtime client."
    )
    assert (
        "<code>session</code> is a boto3.Session for profile &#x27;ai-dev&#x27;."
        in (bundle["text/html"])
    )
    assert "`" not in bundle["text/html"]


def test_panel_messages_show_code_as_code_and_stay_escaped():
    html = message_html("Use it later with `aws --profile <x>`.", kind="info")
    assert "<code>aws --profile &lt;x&gt;</code>" in html
    assert "`" not in html and "<x>" not in html
