"""What every app's tests share; loaded by the root conftest.py, imported only by tests.

* ``cast`` — the test cast: a small real tree of unions, its members and the people who use it;
* ``fixtures`` — suite-wide fixtures (fast hashing, an empty cache, the test-login two-factor shortcut) and
  the region table kept across the flushes of transactional tests;
* ``browser`` — Chromium through Playwright, for the tests marked ``browser``;
* ``matrix`` — the permission matrices' shape: the page matrix generated from the URL resolver and the API
  matrix; ``api`` — the /api/v1 test client;
* ``pii_guard`` — the pytest plugin that fails any test letting a full ID or mobile number out;
* ``audit`` — tampering with the audit log as an attacker with SQL access would.
"""
