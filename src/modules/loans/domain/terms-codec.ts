// Product terms as stored (JSON, amounts as decimal-free integer strings) and as used.
import type { CardTerms } from "./card-statement.js";
import { defaultCardTerms, defaultTerms, type LateFeeRule, type ProductTerms } from "./product-terms.js";

type StoredLateFee = { kind: "none" } | { kind: "fixed"; amountMinor: string } | { kind: "percent"; percent: string; minMinor: string; maxMinor: string };
type StoredCard = Omit<CardTerms, "minimumFloorMinor"> & { minimumFloorMinor: string };
export type StoredTerms = Partial<Omit<ProductTerms, "lateFee" | "currency" | "card">> & { lateFee?: StoredLateFee; card?: StoredCard };

export function encodeTerms(terms: ProductTerms): StoredTerms {
  const { currency: _currency, lateFee, card, ...rest } = terms;
  const storedFee: StoredLateFee =
    lateFee.kind === "none"
      ? lateFee
      : lateFee.kind === "fixed"
        ? { kind: "fixed", amountMinor: lateFee.amountMinor.toString() }
        : { kind: "percent", percent: lateFee.percent, minMinor: lateFee.minMinor.toString(), maxMinor: lateFee.maxMinor.toString() };
  return { ...rest, lateFee: storedFee, card: { ...card, minimumFloorMinor: card.minimumFloorMinor.toString() } };
}

export function decodeTerms(stored: unknown, currency: string): ProductTerms {
  const value = (stored && typeof stored === "object" ? stored : {}) as StoredTerms;
  let lateFee: LateFeeRule = defaultTerms.lateFee;
  if (value.lateFee?.kind === "fixed") lateFee = { kind: "fixed", amountMinor: BigInt(value.lateFee.amountMinor) };
  else if (value.lateFee?.kind === "percent") {
    lateFee = { kind: "percent", percent: value.lateFee.percent, minMinor: BigInt(value.lateFee.minMinor), maxMinor: BigInt(value.lateFee.maxMinor) };
  } else if (value.lateFee?.kind === "none") lateFee = { kind: "none" };
  return {
    currency,
    card: value.card ? { ...defaultCardTerms, ...value.card, minimumFloorMinor: BigInt(value.card.minimumFloorMinor) } : defaultCardTerms,
    earlyRepayment: value.earlyRepayment ?? defaultTerms.earlyRepayment,
    dayCountBasis: value.dayCountBasis ?? defaultTerms.dayCountBasis,
    graceDays: value.graceDays ?? defaultTerms.graceDays,
    penalty: value.penalty ?? defaultTerms.penalty,
    lateFee,
    waterfall: value.waterfall ?? defaultTerms.waterfall,
    legalCap: value.legalCap === undefined ? defaultTerms.legalCap : value.legalCap,
    bucketBounds: value.bucketBounds ?? defaultTerms.bucketBounds,
  };
}
