/** The one stream of exchange-rate sets (docs/domain.md, "Streams and time"). */
export const FX_STREAM = 'fx-rates';
