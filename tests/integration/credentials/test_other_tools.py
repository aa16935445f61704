"""Tools that cannot use an SSO profile read S3 through the credential endpoint: pyarrow's
S3FileSystem (the AWS C++ SDK's default chain) and Polars (object_store, fed by boto3), each in
a fresh process whose only AWS settings are the two variables and the S3 endpoint. The
sandbox's S3 checks every request's SigV4 signature against the keys it issued."""

from __future__ import annotations

import json

import pytest

import ipyawssso
from ipyawssso.sandbox.leak_guard import find_leaks
from tests.integration.conftest import run_fresh
from tests.integration.credentials.endpoint_helpers import bare_env

CSV = b"city,people\nLyon,522\nNantes,320\n"

PYARROW = """
import json, os
import pyarrow.csv as csv
import pyarrow.fs as fs
import pyarrow.parquet as pq

s3 = fs.S3FileSystem(endpoint_override=os.environ["AWS_ENDPOINT_URL_S3"], region="us-east-1")
listed = [i.path for i in s3.get_file_info(fs.FileSelector("lake/raw", recursive=True))]
table = csv.read_csv(s3.open_input_stream("lake/raw/cities.csv"))
pq.write_table(table, "lake/out/cities.parquet", filesystem=s3)
back = pq.read_table("lake/out/cities.parquet", filesystem=s3)
print(json.dumps({"listed": listed, "rows": back.num_rows, "cities": back["city"].to_pylist()}))
"""

POLARS = """
import json, os
import polars as pl

options = {"aws_endpoint_url": os.environ["AWS_ENDPOINT_URL_S3"], "aws_region": "us-east-1",
           "aws_allow_http": "true"}
frame = pl.read_csv(
    "s3://lake/raw/cities.csv",
    storage_options=options,
    credential_provider=pl.CredentialProviderAWS(),
)
print(json.dumps({"people": frame["people"].sum()}))
"""


@pytest.fixture
def lake(signed_in, sandbox, tmp_path):
    sandbox.create_bucket("lake")
    sandbox.put_object("lake", "raw/cities.csv", CSV)
    server = ipyawssso.serve_credentials(signed_in)
    return bare_env(tmp_path, server.env)


@pytest.mark.interop
def test_pyarrow_lists_reads_and_writes_s3(lake, sandbox):
    pytest.importorskip("pyarrow")
    answer = run_fresh(PYARROW, env=lake)
    assert answer == {"listed": ["lake/raw/cities.csv"], "rows": 2, "cities": ["Lyon", "Nantes"]}
    assert sandbox.object_keys("lake") == ["out/cities.parquet", "raw/cities.csv"]
    assert sandbox.calls["CompleteMultipartUpload"] == 1 and sandbox.calls["GetObject"] >= 1
    leaks = find_leaks([json.dumps(answer), json.dumps(lake)], sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)


@pytest.mark.interop
def test_polars_reads_s3(lake, sandbox):
    pytest.importorskip("polars")
    assert run_fresh(POLARS, env=lake) == {"people": 842}
