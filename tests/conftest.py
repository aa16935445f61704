"""Shared test set-up: the sandbox fixtures (``aws_home``, ``sandbox``) for every test folder.

Nothing here talks to AWS: every test that needs IAM Identity Center uses the loopback sandbox
through stock botocore over HTTP.
"""

import os

# Never let a test reach the EC2 metadata service or a developer's real profile by accident.
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

pytest_plugins = ["ipyawssso.sandbox.pytest_plugin"]
