// The offline page in headless Chromium (Debian's `chromium`, driven by playwright-core, which
// downloads no browser): opened from file://, the seed sample and a file that is not a workbook
// are dropped on it; the findings table is read, the corrected workbook downloaded and compared with
// the CLI's byte for byte; any network request other than data:, blob: or file: fails the test.
// Usage: node test/page.mjs <path of the zpcheck binary>
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync, mkdtempSync, existsSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import assert from "node:assert/strict";

const cli = resolve(process.argv[2]);
const root = new URL("..", import.meta.url).pathname;
const page_path = join(root, "dist/zpcheck.html");
const seed = resolve(join(root, "../samples/seed_kelamayi_2023.xlsx"));
const work = mkdtempSync(join(tmpdir(), "zpcheck-page-"));
const bad = join(work, "不是表格.xlsx");
writeFileSync(bad, "项目,金额\n甲,1\n");
const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
assert.ok(executablePath, "Debian's chromium is not installed");

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const context = await browser.newContext({ timezoneId: "UTC", acceptDownloads: true });
const requests = [];
context.on("request", (r) => {
  if (!/^(data|blob|file):/.test(r.url())) requests.push(r.url());
});
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
// 2025-12-02 09:40:00 UTC, as SOURCE_DATE_EPOCH=1764668400 fixes the CLI's.
await page.clock.setFixedTime(new Date(1764668400 * 1000));
await page.goto("file://" + page_path);
await page.waitForFunction(() => document.getElementById("version").textContent !== "", null, { timeout: 60000 });
const version = await page.textContent("#version");
const banner = await page.textContent("header p");
assert.ok(banner.includes("文件不会离开本机"), banner);

const t0 = Date.now();
// Dropped on the page, as an officer does: the seed and the file that is not a workbook.
const dropped = await page.evaluateHandle((files) => {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
  return dt;
}, [seed, bad].map((p) => ({ name: p.split("/").pop(), bytes: [...readFileSync(p)] })));
await page.dispatchEvent("#drop", "drop", { dataTransfer: dropped });
await page.waitForFunction(() => document.getElementById("count").textContent.includes("全部完成"), null, { timeout: 120000 });
const elapsed = Date.now() - t0;

// The seed: its findings table, its totals line and status.
const seedDiv = page.locator(".file").nth(0);
assert.equal(await seedDiv.locator("h2").textContent(), "seed_kelamayi_2023.xlsx：有错误");
const rows = await seedDiv.locator("table.findings tr").evaluateAll((trs) =>
  trs.map((tr) => [...tr.children].map((c) => c.textContent)),
);
assert.deepEqual(rows[0], ["位置", "规则", "级别", "说明", "已更正"]);
assert.deepEqual(
  rows.slice(1).map((r) => [r[0], r[1], r[2], r[4]]),
  [
    ["部门整体支出绩效自评表!H15", "ZP201", "错误", "是"],
    ["部门整体支出绩效自评表!G16", "ZP204", "警告", "否"],
    ["部门整体支出绩效自评表!G17", "ZP204", "警告", "否"],
    ["部门整体支出绩效自评表!H18", "ZP202", "错误", "是"],
  ],
);
const totals = await seedDiv.locator("p.totals").textContent();
assert.equal(totals, "表「部门整体支出绩效自评表」（工作表 部门整体支出绩效自评表）：申报总分 无（表中没有总分行），申报等级 无（表中没有等级栏）；核算总分 99.96，核算等级 优");
// What the form's shape left unchecked, as the CLI prints it.
assert.deepEqual(await seedDiv.locator("p.unchecked").allTextContents(), [
  "表「部门整体支出绩效自评表」（工作表 部门整体支出绩效自评表）：未能核查——指标块没有总分行：申报总分无从核对，只给出核算总分",
]);
// Download names show their "_": no underline drawn through it.
assert.equal(await seedDiv.locator("a.dl").evaluate((a) => getComputedStyle(a).textDecorationLine), "none");
// The file that is not a workbook: its status and the CLI's Chinese message.
const badDiv = page.locator(".file").nth(1);
assert.equal(await badDiv.locator("h2").textContent(), "不是表格.xlsx：无法核查");
const message = await badDiv.locator("p.status-error").textContent();
const cliBad = JSON.parse(spawnSync(cli, ["check", "--format", "json", bad], { encoding: "utf8" }).stdout);
assert.equal(message, cliBad.files[0].error.message);

// The corrected workbook, downloaded, is the CLI's.
const [download] = await Promise.all([
  page.waitForEvent("download"),
  seedDiv.locator("a.dl").click(),
]);
assert.equal(download.suggestedFilename(), "seed_kelamayi_2023_核查.xlsx");
const got = join(work, "page.xlsx");
await download.saveAs(got);
const want = join(work, "cli.xlsx");
const run = spawnSync(cli, ["fix", seed, "-o", want], { env: { ...process.env, SOURCE_DATE_EPOCH: "1764668400" } });
assert.equal(run.status, 1);
assert.ok(readFileSync(got).equals(readFileSync(want)), "the page's corrected workbook differs from the CLI's");
// The batch downloads are offered.
const links = await page.locator("#downloads a").evaluateAll((as) => as.map((a) => a.download));
assert.deepEqual(links, ["zpcheck_更正后.zip", "zpcheck_汇总.xlsx", "zpcheck_核查报告.json"]);
// The batch at a glance (as the summary's 图表 sheet): files by result, forms by grade, findings
// by rule, each with its count.
const overview = await page.locator("#overview table").evaluateAll((ts) =>
  ts.map((t) => [t.caption.textContent, [...t.querySelectorAll("tr")].slice(1).map((tr) => [tr.children[0].textContent, tr.children[1].textContent])]),
);
assert.deepEqual(overview, [
  ["文件按核查结果", [["无误", "0"], ["有错误", "1"], ["部分核查", "0"], ["无法核查", "1"]]],
  ["自评表按核算等级", [["优", "1"], ["良", "0"], ["中", "0"], ["差", "0"], ["无法确定", "0"]]],
  ["问题按规则", [["ZP201", "1"], ["ZP202", "1"], ["ZP204", "2"]]],
]);
// `ZPCHECK_PAGE_SHOT=file.png`: a picture of the page at this point, to look at.
if (process.env.ZPCHECK_PAGE_SHOT) await page.screenshot({ path: process.env.ZPCHECK_PAGE_SHOT, fullPage: true });
// The zip, as Debian 12's Info-ZIP `unzip -l` (UOS, Kylin) lists it: the Chinese name intact.
const [zipDownload] = await Promise.all([
  page.waitForEvent("download"),
  page.locator("#downloads a").first().click(),
]);
const zipPath = join(work, "page.zip");
await zipDownload.saveAs(zipPath);
const listing = spawnSync("unzip", ["-l", zipPath], { encoding: "utf8" });
if (listing.error) console.log("unzip not installed: the zip's listing not compared");
else assert.ok(listing.stdout.includes("seed_kelamayi_2023_核查.xlsx"), listing.stdout);

// A report and its workbook dropped together: paired, the report's paragraph findings listed,
// its reviewed copy (_核查.docx) byte-identical to the CLI's.
const report = resolve(join(root, "../samples/seed_kelamayi_2023_report.docx"));
const pairDrop = await page.evaluateHandle((files) => {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
  return dt;
}, [report, seed].map((p) => ({ name: p.split("/").pop(), bytes: [...readFileSync(p)] })));
await page.dispatchEvent("#drop", "drop", { dataTransfer: pairDrop });
await page.waitForFunction(() => document.getElementById("count").textContent.includes("全部完成"), null, { timeout: 120000 });
const reportDiv = page.locator(".file").nth(0);
assert.equal(await reportDiv.locator("h2").textContent(), "seed_kelamayi_2023_report.docx：有错误");
const reportLine = await reportDiv.locator("p.totals").first().textContent();
assert.ok(reportLine.endsWith("；正文与工作簿 seed_kelamayi_2023.xlsx 的自评表配对核对"), reportLine);
const reportRows = await reportDiv.locator("table.findings tr").evaluateAll((trs) =>
  trs.map((tr) => [...tr.children].map((c) => c.textContent)),
);
assert.deepEqual(reportRows.slice(1).map((r) => [r[0], r[1], r[4]]), [
  ["表1!H15", "ZP201", "否"],
  ["表1!G16", "ZP204", "否"],
  ["表1!G17", "ZP204", "否"],
  ["表1!H18", "ZP202", "否"],
  ["正文第 69 段", "ZP502", "否"],
  ["正文第 100 段", "ZP519", "否"],
]);
const [docxDownload] = await Promise.all([
  page.waitForEvent("download"),
  reportDiv.locator("a.dl").click(),
]);
assert.equal(docxDownload.suggestedFilename(), "seed_kelamayi_2023_report_核查.docx");
const gotDocx = join(work, "page.docx");
await docxDownload.saveAs(gotDocx);
const wantDir = join(work, "cli-report");
const runDocx = spawnSync(cli, ["fix", "--pair", "--out-dir", wantDir, report, seed], { env: { ...process.env, SOURCE_DATE_EPOCH: "1764668400" } });
assert.equal(runDocx.status, 1, String(runDocx.stderr));
assert.ok(
  readFileSync(gotDocx).equals(readFileSync(join(wantDir, "seed_kelamayi_2023_report_核查.docx"))),
  "the page's reviewed report differs from the CLI's",
);

// Every sample, corrected, in the browser and natively (the closing note's comparison).
const samplesDir = resolve(join(root, "../samples"));
const all = readdirSync(samplesDir).filter((n) => /\.(xlsx|xlsm|xls|ods)$/.test(n)).sort().map((n) => join(samplesDir, n));
const finished = () =>
  page.waitForFunction(() => document.getElementById("count").textContent.includes("全部完成"), null, { timeout: 300000 });
let t = Date.now();
await page.setInputFiles("#pick", all);
await finished();
const browserMs = Date.now() - t;
assert.equal(await page.locator(".file").count(), all.length);
t = Date.now();
spawnSync(cli, ["fix", "-q", "-j", "1", "--out-dir", join(work, "native"), ...all]);
const nativeMs = Date.now() - t;

// 200 files: the page answers while the worker works (the longest wait for the page's own
// thread, sampled every 50 ms, stays short), and every file is reported.
const batch = [];
for (let i = 0; batch.length < 200; i++) batch.push(all[i % all.length]);
const probe = async () => {
  let worst = 0;
  while (!(await page.textContent("#count")).includes("全部完成")) {
    const s = Date.now();
    await page.evaluate(() => 1);
    worst = Math.max(worst, Date.now() - s);
    await new Promise((r) => setTimeout(r, 50));
  }
  return worst;
};
t = Date.now();
await page.setInputFiles("#pick", batch);
const worst = await probe();
const batchMs = Date.now() - t;
assert.equal(await page.locator(".file").count(), 200);
assert.ok(worst < 500, `the page stalled for ${worst} ms during the batch`);

// The library stops on one file (a trap, as a hostile file could cause; `#trap=` makes it
// happen): that file is reported as 内部错误, a fresh instance finishes the batch, and the
// summary, zip and JSON still come, with every file in them.
const trapName = "陷阱.xlsx";
const trapFile = join(work, trapName);
writeFileSync(trapFile, readFileSync(resolve(join(root, "../samples/national_clean.xlsx"))));
await page.evaluate((n) => { location.hash = "trap=" + encodeURIComponent(n); }, trapName);
await page.setInputFiles("#pick", [seed, trapFile, bad]);
await finished();
assert.equal(await page.locator(".file").count(), 3);
const trapDiv = page.locator(".file").nth(1);
assert.equal(await trapDiv.locator("h2").textContent(), `${trapName}：无法核查`);
const trapMessage = await trapDiv.locator("p.status-error").textContent();
assert.ok(
  trapMessage.startsWith("内部错误（已跳过此文件，请将文件反馈给开发者）：核查程序在这个文件上意外停止，已换用新的实例核查其余文件（RuntimeError: unreachable"),
  trapMessage,
);
assert.equal(await page.locator(".file").nth(0).locator("h2").textContent(), "seed_kelamayi_2023.xlsx：有错误");
assert.equal(await page.locator(".file").nth(2).locator("h2").textContent(), "不是表格.xlsx：无法核查");
const trapLinks = await page.locator("#downloads a").evaluateAll((as) => as.map((a) => a.download));
assert.deepEqual(trapLinks, ["zpcheck_更正后.zip", "zpcheck_汇总.xlsx", "zpcheck_核查报告.json"]);
const trapJson = JSON.parse(await page.evaluate(async () => {
  const a = [...document.querySelectorAll("#downloads a")].find((x) => x.download.endsWith(".json"));
  return await (await fetch(a.href)).text();
}));
assert.deepEqual(trapJson.files.map((f) => [f.path, f.status, f.error?.kind ?? null]), [
  ["seed_kelamayi_2023.xlsx", "findings", null],
  [trapName, "error", "internal"],
  ["不是表格.xlsx", "error", "not_spreadsheet"],
]);
await page.evaluate(() => { location.hash = ""; });

// A profile loaded from a TOML file: Hubei's bands, named on the 核查结果 heading's line too.
await page.setInputFiles("#toml", resolve(join(root, "../profiles/hubei.toml")));
// The page reads the file asynchronously: wait for it to say so.
await page.waitForFunction(() => document.getElementById("toml-name").textContent.includes("hubei.toml"));
await page.setInputFiles("#pick", [seed]);
await finished();
assert.equal(await page.locator(".file").count(), 1);

// Last mile (issue 27). A TOML with a mistake: the run says so, the file is dropped, and the
// next run (no reload) uses the rules chosen in the list.
const badToml = join(work, "有误.toml");
writeFileSync(badToml, '"部分达成下限" = 95\n');
// Each run waits for the one before to end (`busy`, the page's own flag), then for its own end:
// the count cleared first, so an earlier "全部完成" is not taken for this run's.
const runFiles = async (files) => {
  await page.waitForFunction(() => !busy, null, { timeout: 300000 });
  await page.evaluate(() => { document.getElementById("count").textContent = ""; });
  await page.setInputFiles("#pick", files);
  await page.waitForFunction(
    () => !busy && (document.getElementById("count").textContent.includes("全部完成") || document.getElementById("fatal").textContent !== ""),
    null,
    { timeout: 120000 },
  );
};
await page.waitForFunction(() => !busy, null, { timeout: 300000 });
await page.setInputFiles("#toml", badToml);
await page.waitForFunction(() => document.getElementById("toml-name").textContent.includes("有误.toml"));
await runFiles([seed]);
assert.ok((await page.textContent("#fatal")).endsWith("；已改回上面选择的规则"), await page.textContent("#fatal"));
assert.equal(await page.textContent("#toml-name"), "（规则配置有误，未采用；改正后可重新载入）");
await runFiles([seed]);
assert.equal(await page.locator(".file").count(), 1);
assert.equal(await page.textContent("#fatal"), "");
// Choosing a profile in the list drops a loaded file too.
await page.setInputFiles("#toml", resolve(join(root, "../profiles/hubei.toml")));
await page.waitForFunction(() => document.getElementById("toml-name").textContent.includes("hubei.toml"));
await page.selectOption("#profile", { index: 0 });
await page.dispatchEvent("#profile", "change");
assert.equal(await page.textContent("#toml-name"), "");
// Without corrected workbooks the column says what could be corrected, not 已更正 "是".
await page.uncheck("#fixing");
await runFiles([seed]);
const unticked = await page.locator(".file").nth(0).locator("table.findings tr").evaluateAll((trs) =>
  trs.map((tr) => tr.lastChild.textContent),
);
assert.deepEqual(unticked, ["可自动更正", "可", "否", "否", "可"]);
await page.check("#fixing");
// Every file failing: no (empty) zip offered.
await runFiles([bad]);
const failedLinks = await page.locator("#downloads a").evaluateAll((as) => as.map((a) => a.download));
assert.deepEqual(failedLinks, ["zpcheck_汇总.xlsx", "zpcheck_核查报告.json"]);
// One stem in two formats: two links that say which is which.
const seedXls = resolve(join(root, "../samples/seed_kelamayi_2023.xls"));
await runFiles([seed, seedXls]);
const stemLinks = await page.locator(".file a.dl").evaluateAll((as) => as.map((a) => a.download));
assert.deepEqual(stemLinks, ["seed_kelamayi_2023_核查.xlsx", "seed_kelamayi_2023.xls_核查.xlsx"]);

assert.deepEqual(errors, [], "page errors");
assert.deepEqual(requests, [], "network requests");
await browser.close();
const size = readFileSync(page_path).length;
console.log(`ok: page ${version} (${(size / 1024 / 1024).toFixed(2)} MB) from file://, 2 files in ${elapsed} ms, findings table as the CLI, corrected workbook byte-identical, no network request`);
console.log("ok: a report and its workbook paired in the page; the report's paragraph findings listed; its _核查.docx byte-identical to the CLI's");
console.log("ok: the library stopped on one file (a trap): reported as 内部错误, the batch finished by a fresh instance, summary, zip and JSON complete");
console.log("ok: the batch overview (files by result, forms by grade, findings by rule) as the summary's 图表 sheet");
console.log("ok: last mile: a TOML with a mistake dropped (next run uses the chosen rules), 可自动更正 when not writing, no empty zip, one stem in two formats named apart, '_' visible, 未能核查 lines shown, unzip -l lists the Chinese names");
console.log(`ok: ${all.length} samples corrected in the browser in ${browserMs} ms (natively, one thread: ${nativeMs} ms); 200 files in ${batchMs} ms, the page's longest wait ${worst} ms; a TOML profile loaded`);
