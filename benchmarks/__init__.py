"""Benchmarks that print figures and ratios against named baselines (``python -m benchmarks``).

Everything runs against the loopback sandbox (``ipyawssso.sandbox``) shaped like a large
organisation: 1,000 accounts x 3 roles, 50 ms per call, and the access portal's limit of about
20 calls a second. Each measured client runs in its own fresh process, the sandbox in this one
(so it can count every request). The baseline is PyPI ``aws-sso-lib`` (the ``bench`` extra),
``list_available_roles`` and ``list_available_accounts``, reading the same token from the same
``~/.aws/sso/cache``. Nothing here asserts a time: the figures are printed, and the docs page
``docs/performance.md`` shows a run.
"""
