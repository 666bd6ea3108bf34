import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Runs the first TypeScript block under "## Use" of a package's README, as
 * a user would (the package importing itself by name, from its sources),
 * and returns what it printed: READMEs whose examples really run.
 */
export async function runReadmeExample(packageDir: string | URL): Promise<string> {
  const dir = typeof packageDir === "string" ? packageDir : fileURLToPath(packageDir);
  const readme = await readFile(join(dir, "README.md"), "utf8");
  // The first block in the section, before the next heading.
  const example = /## Use\n(?:(?!\n## )[\s\S])*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!example) throw new Error(`${dir}/README.md has no \`\`\`ts block under "## Use"`);
  const file = join(dir, `readme-example-${process.pid}.ts`);
  await writeFile(file, example);
  try {
    const args = ["--import", "tsx", "--conditions=@bitcoim/source", file];
    return (await run(process.execPath, args, { cwd: dir })).stdout;
  } finally {
    await rm(file, { force: true });
  }
}
