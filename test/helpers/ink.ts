// Driving an Ink app rendered by ink-testing-library: let it draw, and type keys one at a time.
export const tick = async (): Promise<void> => {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 0));
};

/** Writes each key and lets the app draw after it. */
export async function press(stdin: { write(s: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await tick();
  }
}
