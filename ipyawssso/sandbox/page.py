"""The verification page a person sees at ``verificationUri``, as small HTML documents.

It mirrors the AWS portal's "Authorize request" step: the code (prefilled from
``?user_code=``), who is asking, and Allow / Deny. Element ids are a contract with the UI
tests: ``input#user-code``, ``button#allow``, ``button#deny``, ``#result`` ("Approved" or
"Denied") and ``#error``. Every value that came from a request or a client is escaped.
"""

from __future__ import annotations

from html import escape

from .state import GrantView

__all__ = ["render_console", "render_form", "render_index", "render_result"]

_STYLE = """
:root { color-scheme: light; font-family: "Amazon Ember", "Helvetica Neue", Roboto, Arial,
  sans-serif; }
body { margin: 0; background: #f2f3f3; color: #16191f; }
main { max-width: 26rem; margin: 4rem auto; padding: 2rem 2.25rem; background: #fff;
  border-radius: 8px; box-shadow: 0 1px 4px rgba(0, 28, 36, .3); }
.brand { margin: 0 0 1.5rem; font-size: .875rem; color: #545b64; }
.tag { margin-left: .35rem; padding: .05rem .45rem; border-radius: 1rem; background: #e9ebed;
  font-size: .75rem; }
h1 { margin: 0 0 .75rem; font-size: 1.4rem; font-weight: 700; }
p { line-height: 1.45; }
label { display: block; margin: 1.25rem 0 .35rem; font-weight: 700; font-size: .875rem; }
input { box-sizing: border-box; width: 100%; padding: .55rem .7rem; font-size: 1.25rem;
  letter-spacing: .12em; font-family: ui-monospace, Menlo, Consolas, monospace;
  border: 1px solid #8d99a8; border-radius: 4px; text-transform: uppercase; }
input:focus { outline: 2px solid #0972d3; outline-offset: 1px; }
.buttons { display: flex; flex-direction: row-reverse; gap: .75rem; margin-top: 1.5rem; }
button { padding: .5rem 1.25rem; font-size: .95rem; font-weight: 700; border-radius: 20px;
  cursor: pointer; border: 2px solid #0972d3; }
button.primary { background: #0972d3; color: #fff; }
button.secondary { background: #fff; color: #0972d3; }
.details { font-size: .9rem; color: #414d5c; }
.error { padding: .6rem .8rem; border-left: 4px solid #d91515; background: #fff7f7; }
.ok { color: #037f0c; font-weight: 700; } .no { color: #d91515; font-weight: 700; }
.who { margin-top: 1.75rem; font-size: .8rem; color: #5f6b7a; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; }
"""


def render_form(
    *,
    user_code: str,
    grant: GrantView | None,
    user_name: str,
    error: str | None = None,
) -> str:
    details = ""
    if grant is not None and grant.state == "pending":
        scopes = ", ".join(grant.scopes) or "sso:account:access"
        minutes = max(1, round(grant.seconds_left / 60))
        details = (
            f'<p class="details"><strong>{escape(grant.client_name)}</strong> asks to use '
            f"your AWS access portal ({escape(grant.start_url)}) with the scopes "
            f"<code>{escape(scopes)}</code>. The code expires in about {minutes} "
            f"minute{'s' if minutes != 1 else ''}.</p>"
        )
    problem = f'<p id="error" class="error" role="alert">{escape(error)}</p>' if error else ""
    body = f"""
<h1>Authorize request</h1>
<p>Confirm that this code matches the one shown in your notebook or terminal, then allow
the request to sign in.</p>
{problem}{details}
<form method="post" action="/device">
  <label for="user-code">Code</label>
  <input id="user-code" name="user_code" value="{escape(user_code)}" required
         autocomplete="off" autocapitalize="characters" spellcheck="false"
         placeholder="ABCD-EFGH" aria-describedby="who">
  <div class="buttons">
    <button id="allow" class="primary" type="submit" name="action" value="allow">Allow</button>
    <button id="deny" class="secondary" type="submit" name="action" value="deny">Deny</button>
  </div>
</form>
<p id="who" class="who">Signed in as {escape(user_name)}</p>"""
    return _document("Authorize request", body)


def render_result(*, approved: bool, user_code: str) -> str:
    if approved:
        heading, word, css = "Request approved", "Approved", "ok"
        text = "You can close this window and return to your notebook or terminal."
    else:
        heading, word, css = "Request denied", "Denied", "no"
        text = "Nothing was signed in. You can close this window."
    body = f"""
<h1>{heading}</h1>
<p id="result" class="{css}">{word}</p>
<p>Code <code>{escape(user_code)}</code>. {text}</p>"""
    return _document(heading, body)


def render_console(*, arn: str, account_id: str, destination: str) -> str:
    """What the federation's login link shows here instead of the real console."""
    body = f"""
<h1>AWS console (sandbox)</h1>
<p id="console-role" class="ok">{escape(arn)}</p>
<p class="details">Signed in to account <code id="console-account">{escape(account_id)}</code>
through the federation endpoint. The real console would now open
<code id="console-destination">{escape(destination)}</code>.</p>"""
    return _document("AWS console", body)


def render_index(*, start_url: str, region: str, device_url: str) -> str:
    body = f"""
<h1>IAM Identity Center sandbox</h1>
<p>A loopback stand-in for AWS IAM Identity Center, for tests and offline demos.
Nothing here reaches AWS, and its tokens and keys are valid only here.</p>
<p class="details">Start URL <code>{escape(start_url)}</code><br>
SSO region <code>{escape(region)}</code></p>
<p><a href="{escape(device_url)}">Enter a sign-in code</a></p>"""
    return _document("IAM Identity Center sandbox", body)


def _document(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · IAM Identity Center sandbox</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<p class="brand">AWS IAM Identity Center<span class="tag">sandbox</span></p>
{body}
</main>
</body>
</html>
"""
