"""Settings that point the app at a fake BCB API Pix PSP, with a client certificate (mTLS)
issued by the test CA and written where the gateway reads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import trustme

from dresbach.config import Secret
from tests.fakes import bcb_pix
from tests.fakes.bcb_pix import FakeBcbPsp


def bcb_overrides(psp: FakeBcbPsp, ca: trustme.CA, folder: Path) -> dict[str, Any]:
    client = ca.issue_cert("dresbach.client.test")
    cert, key, root = folder / "client.pem", folder / "client.key", folder / "ca.pem"
    client.cert_chain_pems[0].write_to_path(str(cert))
    client.private_key_pem.write_to_path(str(key))
    ca.cert_pem.write_to_path(str(root))
    return {
        "pix_provider": "bcb",
        "pix_key": psp.state.pix_key,
        "bcb_base_url": psp.base_url,
        "bcb_token_url": psp.token_url,
        "bcb_client_id": bcb_pix.DEFAULT_CLIENT_ID,
        "bcb_client_secret": Secret(bcb_pix.DEFAULT_CLIENT_SECRET),
        "bcb_cert_file": str(cert),
        "bcb_key_file": str(key),
        "bcb_ca_file": str(root),
    }
