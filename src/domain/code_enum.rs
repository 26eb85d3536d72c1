//! The one derive set for enums that are written and read by a stable code (ledger,
//! JSON, command line, message ids).

/// Declares a fieldless enum whose code serde and strum derive from the same case rule
/// (kebab-case unless `case = "…"` says otherwise), with `ALL` in declaration order,
/// `as_str` and `parse`. Variants and their attributes are written out as in a plain enum.
macro_rules! code_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($body:tt)* }) => {
        code_enum! { case = "kebab-case", $(#[$meta])* $vis enum $name { $($body)* } }
    };
    (case = $case:literal, $(#[$meta:meta])* $vis:vis enum $name:ident { $($body:tt)* }) => {
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            serde::Serialize,
            serde::Deserialize,
            strum::IntoStaticStr,
            strum::EnumString,
            strum::VariantArray,
        )]
        #[serde(rename_all = $case)]
        #[strum(serialize_all = $case)]
        $(#[$meta])*
        $vis enum $name { $($body)* }

        impl $name {
            pub const ALL: &'static [$name] = <Self as strum::VariantArray>::VARIANTS;

            pub fn as_str(self) -> &'static str {
                self.into()
            }

            pub fn parse(s: &str) -> Option<Self> {
                s.parse().ok()
            }
        }
    };
}
