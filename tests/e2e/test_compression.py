"""A plain `streamlit run dashboard.py` sends the page's scripts compressed to a browser that
accepts gzip, and unchanged to one that does not."""

from __future__ import annotations

import gzip
import re
import urllib.request


def fetch(url: str, encoding: str) -> tuple[bytes, str | None]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read(), response.headers.get("Content-Encoding")


def test_the_page_scripts_are_sent_compressed(server):
    page, _ = fetch(f"{server}/", "identity")
    scripts = re.findall(r'src="\.?/?(static/js/[^"]+\.js)"', page.decode())
    assert scripts, "the page names no script"
    for script in scripts:
        plain, plain_encoding = fetch(f"{server}/{script}", "identity")
        packed, packed_encoding = fetch(f"{server}/{script}", "gzip")
        assert plain_encoding is None and packed_encoding == "gzip"
        assert gzip.decompress(packed) == plain
        assert len(packed) < 0.4 * len(plain), (script, len(packed), len(plain))
