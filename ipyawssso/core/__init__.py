"""The core: sign-in, AWS-CLI-compatible files and sessions.

It imports only the standard library, botocore, boto3 and small file helpers (filelock,
platformdirs); never IPython, ipywidgets or traitlets, and it never prints.
"""
