"""Region choices for the dropdowns, read from botocore's bundled endpoint data.

botocore ships the list of regions per partition and which of them serve IAM Identity Center
(``sso-oidc``), so the dropdowns stay current with the installed botocore and need no network.
"""

from __future__ import annotations

import functools

__all__ = ["all_regions", "identity_center_regions"]


@functools.cache
def _partition_regions() -> dict[str, dict[str, str]]:
    """``{partition: {region: description}}`` from botocore's ``endpoints.json``."""
    from botocore.loaders import create_loader

    data = create_loader().load_data("endpoints")
    return {
        partition["partition"]: {
            name: str(info.get("description", "")) for name, info in partition["regions"].items()
        }
        for partition in data["partitions"]
    }


def _label(region: str, description: str) -> str:
    return f"{region} — {description}" if description else region


@functools.cache
def identity_center_regions() -> tuple[tuple[str, str], ...]:
    """``(label, region)`` pairs for every region where IAM Identity Center signs people in."""
    import botocore.session

    session = botocore.session.get_session()
    described = _partition_regions()
    pairs: list[tuple[str, str]] = []
    for partition in session.get_available_partitions():
        descriptions = described.get(partition, {})
        for region in session.get_available_regions("sso-oidc", partition):
            pairs.append((_label(region, descriptions.get(region, "")), region))
    return tuple(pairs)


@functools.cache
def all_regions() -> tuple[tuple[str, str], ...]:
    """``(label, region)`` pairs for every region botocore knows, for a profile's ``region``."""
    pairs: list[tuple[str, str]] = []
    for descriptions in _partition_regions().values():
        for region, description in descriptions.items():
            pairs.append((_label(region, description), region))
    return tuple(pairs)
