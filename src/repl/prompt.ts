/** zkCli's prompt: "[zk: host:port(STATE) N] ". */
export const promptText = (connectString: string, state: string, n: number): string => `[zk: ${connectString}(${state}) ${n}] `;
