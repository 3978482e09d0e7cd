"""The Swagger UI at /api/v1/docs works under its Content-Security-Policy (scripts from the site only)."""

import pytest


@pytest.mark.browser
def test_api_docs_render_without_csp_violations(page, live_server):
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src 'self';" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .info .title").wait_for()
    assert "工会 Gonghui API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock").first.wait_for()  # the operations were read from /api/v1/openapi.json
    page.locator(".opblock-summary").first.click()  # expanding an operation renders its schemas and examples
    page.locator(".opblock-body").first.wait_for()
    page.locator(".models-control, .model-box").first.wait_for(state="attached")
