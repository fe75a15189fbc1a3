/** The last minute of rate samples, for the rates panel and its chart. */
import type { RateSample } from '../../../shared/ipc/types.ts';
import type { Slice } from './types.ts';

export const RATE_HISTORY = 60;

export interface RatesSlice {
  rates: RateSample[];
  addRate(sample: RateSample): void;
  resetRates(): void;
}

export const createRatesSlice = (): Slice<RatesSlice> => (set) => ({
  rates: [],
  addRate(sample) {
    set((s) => ({ rates: [...s.rates.slice(-(RATE_HISTORY - 1)), sample] }));
  },
  resetRates() {
    set({ rates: [] });
  },
});
