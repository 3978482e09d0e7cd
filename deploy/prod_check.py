"""`make prod-check`: the running production mode answers (exit status 0), or says what does not (1).

Checks /healthz, /readyz (database, Redis, migrations), the sign-in page, and a static file the sign-in page
links to (served by WhiteNoise under its hashed name, cached for long). Standard library only.
Usage: python deploy/prod_check.py [http://127.0.0.1:8001]"""

import json
import re
import sys
import time
import urllib.error
import urllib.request


def get(url: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"X-Request-ID": "prod-check-0001"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 — the operator's own URL
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError as error:  # refused, timed out: nothing answers
        return 0, {}, str(getattr(error, "reason", error)).encode()


def check(base: str, wait_seconds: float = 60) -> list[str]:
    problems = []
    deadline = time.monotonic() + wait_seconds  # just after `make prod` the workers may still be starting
    while (answer := get(f"{base}/healthz"))[0] == 0 and time.monotonic() < deadline:
        time.sleep(1)
    status, _, body = answer
    if status == 0:
        return [f"{base} 没有应答（{body.decode(errors='replace')}）：服务是否已用 make prod 启动？"]
    if status != 200 or json.loads(body or b"{}").get("status") != "ok":
        problems.append(f"/healthz 应为 200 ok，实际 {status} {body[:200]!r}")
    status, _, body = get(f"{base}/readyz")
    if status != 200:
        problems.append(f"/readyz 未就绪：{status} {body.decode(errors='replace')[:200]}")
    status, headers, body = get(f"{base}/login/")
    page = body.decode(errors="replace")
    if status != 200 or "登录" not in page:
        problems.append(f"登录页应为 200，实际 {status}")
    if headers.get("X-Request-ID") != "prod-check-0001":
        problems.append("响应没有回显 X-Request-ID")
    static = re.search(r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"', page)
    if not static:
        problems.append("登录页没有引用带哈希的静态文件（collectstatic 未执行或未使用 manifest 存储）")
    else:
        status, headers, _ = get(base + static.group(1))
        if status != 200 or "max-age" not in headers.get("Cache-Control", ""):
            problems.append(f"静态文件 {static.group(1)} 应为 200 且可长期缓存，实际 {status}")
    return problems


def main() -> int:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8001").rstrip("/")
    problems = check(base)
    for problem in problems:
        print(f"失败：{problem}")
    if not problems:
        print(f"{base}：健康检查、就绪检查、登录页和静态文件均正常。")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
