/** Cine playback's clock: calls `step` at the chosen rate while playing. */
export class Cine {
  private timer: ReturnType<typeof setInterval> | undefined;
  private rate = 10;

  constructor(private readonly step: () => void) {}

  get playing(): boolean {
    return this.timer !== undefined;
  }

  get fps(): number {
    return this.rate;
  }

  play(): void {
    this.stop();
    this.timer = setInterval(this.step, 1000 / this.rate);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** 1 to 60 frames per second (anything else gives 10); a playing cine goes on at the new rate. */
  setFps(fps: number): void {
    this.rate = Math.max(1, Math.min(60, fps || 10));
    if (this.playing) this.play();
  }
}
