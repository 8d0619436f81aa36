// The workbench driven the way a reader uses it, in Debian's Chromium through
// puppeteer-core (run by ../workbench_browser_test.py, which starts kg serve
// and checks what this cannot see: the server's log and exit).
//
//   node workbench.mjs CONFIG.json
//
// CONFIG: {base, token, chromium, out, broken, good}: the server, its write
// token, the browser binary, the directory for screenshots, and two
// annotated files to upload (one with errors, one without).
// Prints "ok: ..." or "FAILED: ..." per check; exit 1 if any failed.
import fs from "node:fs";
import path from "node:path";
import puppeteer from "puppeteer-core";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let failures = 0;
function check(ok, what) {
  console.log((ok ? "ok: " : "FAILED: ") + what);
  if (!ok) failures++;
}

const browser = await puppeteer.launch({
  executablePath: config.chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--hide-scrollbars"],
});
const page = await browser.newPage();
await page.setViewport({ width: 1100, height: 900 });
const seen = [];  // every page's HTML, searched for the token at the end

async function shot(name, fullPage = true) {
  seen.push(await page.content());
  await page.screenshot({ path: path.join(config.out, `workbench-${name}.png`), fullPage });
}
const text = () => page.evaluate(() => document.body.innerText);
const textOf = (selector) =>
  page.$eval(selector, (e) => e.innerText).catch(() => "");

// Follows the first link whose text contains `label`, as a click does.
async function clickLink(label) {
  const link = await page.evaluateHandle(
    (l) => [...document.querySelectorAll("a")].find((a) => a.textContent.includes(l)) || null,
    label);
  const element = link.asElement();
  check(element !== null, `a link "${label}" is on ${new URL(page.url()).pathname}`);
  if (element === null) return false;
  await Promise.all([page.waitForNavigation(), element.click()]);
  return true;
}

// From the keyboard: Tab to the search box, type, Enter.
async function searchByKeyboard(words) {
  await page.goto(config.base + "/");
  let focused = "";
  for (let i = 0; i < 10 && focused !== "q"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  }
  check(focused === "q", "the search box is reached with Tab");
  await page.keyboard.type(words);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
}

try {
  // Question 1: where does "half of Russia's munitions" come from?
  await searchByKeyboard("half of Russia's munitions");
  check(page.url().includes("/ui/search?q="), "Enter in the search box opens the results");
  await shot("search");
  if (await clickLink("NorthKorea supplies_munitions_to Russia")) {
    const body = await text();
    check(body.includes("2 independent source(s) support, 0 oppose"),
          "the munitions claim counts its independent sources");
    const roots = await textOf("#roots");
    check(roots.includes("doc:wsj-crink-2025") && roots.includes("UkrainianOfficials"),
          "one root is Ukrainian officials, reached through the WSJ report");
    const marks = await page.$$eval("mark", (ms) => ms.map((m) => m.textContent));
    check(marks.some((m) => m.includes("half of Russia\u2019s munitions now come from Pyongyang")),
          "the quote is highlighted inside its sentence");
    check(await page.$("svg") !== null, "the provenance graph is drawn");
    // The rule behind the count is one click away.
    const summary = await page.$("details summary");
    if (summary) await summary.click();
    check(await page.$eval("details", (d) => d.open).catch(() => false),
          "one click opens the rule that produced the count");
    await shot("claim-munitions");
    // Through to the document, where the quote is marked and links back.
    if (await clickLink("doc:crink-alliance-article-2025")) {
      const quote = await page.evaluateHandle(() =>
        [...document.querySelectorAll("mark")].find((m) =>
          m.textContent.includes("half of Russia\u2019s munitions now come from Pyongyang")) || null);
      const mark = quote.asElement();
      check(mark !== null, "the document page highlights the quote");
      if (mark) {
        const href = await mark.$eval("a", (a) => a.getAttribute("href")).catch(() => "");
        check(href.startsWith("/ui/claim?c="), "the highlighted quote links to its claim");
        await mark.evaluate((m) => m.scrollIntoView({ block: "center" }));
      }
      await shot("document", false);
    }
  }

  // Question 2: the Shahed drones, two roots.
  await searchByKeyboard("(Iran supplied ShahedDrone)");
  if (await clickLink("Iran supplied ShahedDrone")) {
    const roots = await textOf("#roots");
    check((await text()).includes("2 independent source(s) support"), "the Shahed claim has 2 roots");
    check(roots.includes("doc:atlantic-council-2025") && roots.includes("doc:wsj-crink-2025"),
          "its roots are the Atlantic Council report and the WSJ report");
    await shot("claim-shahed");
    // 360 px wide: one column, nothing wider than the screen.
    await page.setViewport({ width: 360, height: 800 });
    await page.reload();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= 361, `the claim page fits 360 px (${wide} px wide)`);
    await shot("claim-shahed-360px");
    await page.setViewport({ width: 1100, height: 900 });
  }

  // The query page, reached from the header.
  if (await clickLink("Query")) {
    await page.type("#text", "MATCH Tehran supplied ?what RETURN ?what;");
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    const body = await text();
    check(body.includes("ShahedDrone") && (await page.$("#time")) !== null,
          "the query page answers in a table with the time taken");
    await shot("query");
  }

  // Ingest: a broken file shows each error at its line and writes nothing;
  // a good one loads and its document opens.
  if (await clickLink("Ingest")) {
    await page.type("#token", config.token);
    await (await page.$("#file")).uploadFile(config.broken);
    await Promise.all([page.waitForNavigation(),
                       page.click("button[name=action][value=load]")]);
    const problems = await textOf("#problems");
    check(problems.includes("nothing was written"), "the broken file is refused whole");
    const line3 = await textOf("tr#L4.bad");
    check(line3.includes("unknown predicate 'suplied'"),
          "the error is shown under line 4 of the file");
    await shot("ingest-error");
    // Signed in now: the form asks only for the file.
    check(await page.$("#token") === null, "the token is asked once per session");
    await (await page.$("#file")).uploadFile(config.good);
    await Promise.all([page.waitForNavigation(),
                       page.click("button[name=action][value=check]")]);
    check((await textOf("#outcome")).includes("ready to load"), "the good file passes the check");
    await Promise.all([page.waitForNavigation(), page.click("#load")]);
    check((await textOf("#outcome")).includes("Loaded"), "Load it loads the checked file");
    await shot("ingest-loaded");
    if (await clickLink("doc:upload-browser")) {
      check((await text()).includes("Uploaded from a browser"),
            "the loaded document's page opens");
    }
  }
  check(!seen.some((html) => html.includes(config.token)), "no page ever shows the write token");
} catch (e) {
  check(false, "the browser session: " + (e && e.stack ? e.stack : e));
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
