/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
/**
 * Waits that can all be cancelled at once (on reset or close), so that no wait outlives what started it. A
 * cancelled wait never resolves: whatever waited on it belongs to a state that is gone.
 */
export class TimerSet {
	private readonly timers = new Set<NodeJS.Timeout>();

	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	cancelAll(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}
}
