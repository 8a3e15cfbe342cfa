//! `str_enum!`: an enum whose variants are Zoho strings, each string written once. It gives
//! the serde names (so fixtures, state files and answers agree), `parse` and `as_str`, and
//! `TEXTS` in declaration order. The caller writes the derives (`Serialize` and `Deserialize`
//! among them), and attributes such as `#[default]` on a variant.

macro_rules! str_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$variant_meta])* #[serde(rename = $text)] $variant),+
        }

        #[allow(dead_code, reason = "not every table is read in both directions")]
        impl $name {
            /// Every string, in declaration order.
            pub const TEXTS: &'static [&'static str] = &[$($text),+];

            /// The variant a string names (exact spelling).
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The variant's string.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }
    };
}

pub(crate) use str_enum;

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    str_enum! {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        enum Sample {
            First = "first_one",
            Second = "Second",
        }
    }

    #[test]
    fn one_string_serves_serde_parse_and_as_str() {
        assert_eq!(Sample::parse("first_one"), Some(Sample::First));
        assert_eq!(Sample::parse("first"), None);
        assert_eq!(Sample::Second.as_str(), "Second");
        assert_eq!(Sample::TEXTS, ["first_one", "Second"]);
        assert_eq!(
            serde_json::to_string(&Sample::First).unwrap(),
            "\"first_one\""
        );
        assert_eq!(
            serde_json::from_str::<Sample>("\"Second\"").unwrap(),
            Sample::Second
        );
        let err = serde_json::from_str::<Sample>("\"third\"").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("unknown variant `third`, expected `first_one` or `Second`"),
            "{err}"
        );
    }
}
