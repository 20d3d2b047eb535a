"""The NER and PII engines never touch the network: not to load, not on first use.

Presidio would download a spaCy model and tldextract the Public Suffix List. A
fresh interpreter (so nothing was loaded before) records every socket
operation through an audit hook while both engines load and analyse text that
exercises the e-mail and URL recognizers. tests/e2e/test_offline.py also runs
them in a network namespace with no interfaces.
"""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = r"""
import json, sys
events = []
def hook(event, args):
    # Only what reaches out; urllib3 binds ::1 at import to probe for IPv6, which is local.
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto",
                 "socket.sendmsg", "urllib.Request", "http.client.connect"):
        events.append(event)
sys.addaudithook(hook)
from airgap.services.language.engines.entities import SpacyEntityEngine
from airgap.services.language.engines.pii import PresidioPiiEngine
texts = ["Mail jane.doe@mail.contoso.co.uk or see https://www.example.org/a?b=c, host 10.0.0.1."]
ner, pii = SpacyEntityEngine(), PresidioPiiEngine()
ner.load(); pii.load()
found = [(texts[0][s.start:s.end], s.category) for s in ner.recognize(texts)[0] + pii.recognize(texts, phi=True)[0]]
import tldextract.tldextract as T
print(json.dumps({"events": events, "found": found, "urls": list(T.TLD_EXTRACTOR.suffix_list_urls)}))
"""


def test_engines_make_no_network_call():
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome["events"] == []
    assert outcome["urls"] == []
    assert ["jane.doe@mail.contoso.co.uk", "Email"] in outcome["found"]
    assert ["https://www.example.org/a?b=c", "URL"] in outcome["found"]
    assert "tldextract" not in run.stderr and "Traceback" not in run.stderr, run.stderr
