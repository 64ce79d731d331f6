/** The benchmark's baseline: a bare Hono route answering the same bytes from memory. */
import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const [file, port] = process.argv.slice(2);
const html = readFileSync(file!, "utf8");
const app = new Hono();
app.get("/page", (c) => c.html(html));
serve({ fetch: app.fetch, hostname: "127.0.0.1", port: Number(port) }, () => console.log("bare server ready"));
