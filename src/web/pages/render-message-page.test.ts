import { describe, expect, it } from "vitest";
import { renderMessagePage } from "./render-message-page";
import { PUBLIC_URL, jsonLdBlocks, metaContent, scriptTags, urlAttributes } from "./test-helpers";
import { THEME_NAMES } from "./themes";

describe("renderMessagePage", () => {
  it("renders a friendly, non-indexed page", () => {
    const html = renderMessagePage({
      publicUrl: PUBLIC_URL,
      status: 404,
      title: "We couldn't find that page",
      message: "The link may be mistyped or the release was removed.",
      backUrl: "/nova-lane",
    });
    expect(html).toContain(`<meta name="robots" content="noindex">`);
    expect(html).toContain(`<p class="status">Error 404</p><h1>We couldn&#39;t find that page</h1>`);
    expect(html).toContain(`<a class="btn btn-secondary" href="/nova-lane">Go back</a>`);
    expect(html).toContain(`<link rel="canonical" href="${PUBLIC_URL}/">`);
    expect(metaContent(html, "og:title")).toBe("We couldn't find that page");
    expect(jsonLdBlocks(html)[0]).toMatchObject({ "@type": "WebPage", name: "We couldn't find that page" });
  });

  it("omits the status line for informational pages", () => {
    const html = renderMessagePage({ publicUrl: PUBLIC_URL, status: 200, title: "Check your inbox", message: "We'll let you know." });
    expect(html).not.toContain("Error 200");
    expect(html).not.toContain("Go back");
  });

  it("accepts only same-site back URLs", () => {
    for (const bad of ["//evil.example/x", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/a\nb"]) {
      const html = renderMessagePage({ publicUrl: PUBLIC_URL, status: 403, title: "Denied", message: "No.", backUrl: bad });
      expect(html, bad).not.toContain("Go back");
    }
    const abs = renderMessagePage({ publicUrl: PUBLIC_URL, status: 403, title: "Denied", message: "No.", backUrl: `${PUBLIC_URL}/nova-lane/x?utm_source=ig` });
    expect(abs).toContain(`href="/nova-lane/x?utm_source=ig"`);
  });

  it("escapes title and message, and renders in every theme", () => {
    for (const theme of THEME_NAMES) {
      const html = renderMessagePage({ publicUrl: PUBLIC_URL, status: 400, title: `<script>x</script>`, message: `"><img src=x onerror=y>`, theme });
      expect(html).not.toContain("<script>x");
      expect(html).not.toContain("<img src=x");
      expect(scriptTags(html)).toHaveLength(1);
      for (const { value } of urlAttributes(html)) expect(value.startsWith("/") || value.startsWith(PUBLIC_URL), value).toBe(true);
    }
  });
});
