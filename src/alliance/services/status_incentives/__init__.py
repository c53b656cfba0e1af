"""OIP use cases beyond the status itself: duties with compliance (OIP-5), benefits
(OIP-6), Ambassador commissions and the semiannual back-margin (OIP-1, OIP-7)."""
