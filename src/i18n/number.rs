//! Numbers and US dollar amounts as each language writes them (CLDR grouping; amounts as
//! the seeds write them): en-US `1,000` and `$6,000`; nl-NL `1.000` and `$ 6.000`; sv-SE
//! `1 000` and `6 000 USD`. The spaces inside a Swedish number and before its currency
//! are no-break spaces, so a wrapped line never splits an amount.

use super::{Lang, Messages};
use crate::domain::CreditPeriod;

const NBSP: char = '\u{a0}';

impl Messages {
    /// `n` with the language's thousands separator.
    pub fn number(&self, n: u64) -> String {
        let sep = match self.lang() {
            Lang::EnUs => ',',
            Lang::NlNl => '.',
            Lang::SvSe => NBSP,
        };
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(d);
        }
        out
    }

    /// "100 licenses", with the number in the language's format.
    pub fn licenses(&self, n: u32) -> String {
        self.fmt("quantity.licenses", &[("n", &self.number(n.into()))])
    }

    /// "10 activations".
    pub fn activations(&self, n: u32) -> String {
        self.fmt("quantity.activations", &[("n", &self.number(n.into()))])
    }

    /// An Azure credit's quantity as the seeds write it: "$100/month", "$6,000/year".
    pub fn credit_quantity(&self, amount_usd: u32, period: CreditPeriod) -> String {
        let id = match period {
            CreditPeriod::Monthly => "quantity.credit-monthly",
            CreditPeriod::Bulk => "quantity.credit-bulk",
        };
        self.fmt(id, &[("amount", &self.usd(amount_usd.into()))])
    }

    /// A whole amount of US dollars.
    pub fn usd(&self, n: u64) -> String {
        let n = self.number(n);
        match self.lang() {
            Lang::EnUs => format!("${n}"),
            Lang::NlNl => format!("$ {n}"),
            Lang::SvSe => format!("{n}{NBSP}USD"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_the_locales_format() {
        let [en, nl, sv] = [Lang::EnUs, Lang::NlNl, Lang::SvSe].map(Messages::get);
        assert_eq!(en.number(0), "0");
        assert_eq!(en.number(999), "999");
        assert_eq!(en.number(1000), "1,000");
        assert_eq!(en.number(1_234_567), "1,234,567");
        assert_eq!(nl.number(12_000), "12.000");
        assert_eq!(sv.number(13_000), "13\u{a0}000");
        assert_eq!(en.usd(6000), "$6,000");
        assert_eq!(nl.usd(6000), "$ 6.000");
        assert_eq!(sv.usd(6000), "6\u{a0}000\u{a0}USD");
        assert_eq!(sv.usd(100), "100\u{a0}USD");
        assert_eq!(en.credit_quantity(6000, CreditPeriod::Bulk), "$6,000/year");
        assert_eq!(
            nl.credit_quantity(100, CreditPeriod::Monthly),
            "$ 100/maand"
        );
        assert_eq!(
            sv.credit_quantity(12000, CreditPeriod::Bulk),
            "12\u{a0}000\u{a0}USD/år"
        );
        assert_eq!(nl.licenses(1000), "1.000 licenties");
    }
}
