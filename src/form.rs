//! Form parameters as the accounts server and Analytics v1 read them: query strings and
//! `application/x-www-form-urlencoded` or `multipart/form-data` bodies, as ordered pairs.
//! Unlike lossy decoders, a value that does not decode to UTF-8 stays distinguishable,
//! because both families answer a documented error for it.

use bytes::Bytes;
use percent_encoding::percent_decode;

/// One `name=value` pair; `None` where the text did not decode to UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormPair {
    pub name: Option<String>,
    pub value: Option<String>,
}

/// Pairs of a query string or urlencoded body; empty pairs (`&&`, a leading `&`) are skipped.
pub fn parse_urlencoded(input: &[u8]) -> Vec<FormPair> {
    input
        .split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(eq) => (&pair[..eq], &pair[eq + 1..]),
                None => (pair, &[][..]),
            };
            FormPair {
                name: decode_component(name),
                value: decode_component(value),
            }
        })
        .collect()
}

fn decode_component(raw: &[u8]) -> Option<String> {
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    String::from_utf8(percent_decode(&plus_as_space).collect()).ok()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MalformedMultipart;

/// The pairs of a form body: multipart when the content type says so, urlencoded otherwise.
pub async fn parse_body(
    content_type: Option<&str>,
    body: Bytes,
) -> Result<Vec<FormPair>, MalformedMultipart> {
    let boundary = content_type.and_then(|ct| multer::parse_boundary(ct).ok());
    let Some(boundary) = boundary else {
        return Ok(parse_urlencoded(&body));
    };
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut pairs = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|_| MalformedMultipart)?;
                pairs.push(FormPair {
                    name,
                    value: String::from_utf8(bytes.to_vec()).ok(),
                });
            }
            Ok(None) => return Ok(pairs),
            Err(_) => return Err(MalformedMultipart),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(name: &str, value: &str) -> FormPair {
        FormPair {
            name: Some(name.into()),
            value: Some(value.into()),
        }
    }

    #[test]
    fn urlencoded_pairs() {
        assert_eq!(
            parse_urlencoded(b"&ZOHO_ACTION=GETSHAREINFO&a=b%40c+d&&flag&"),
            vec![
                pair("ZOHO_ACTION", "GETSHAREINFO"),
                pair("a", "b@c d"),
                pair("flag", "")
            ]
        );
        assert_eq!(parse_urlencoded(b"x=%FF")[0].value, None);
    }

    #[tokio::test]
    async fn multipart_pairs() {
        let body = "--XX\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nrefresh_token\r\n--XX--\r\n";
        let pairs = parse_body(Some("multipart/form-data; boundary=XX"), Bytes::from(body))
            .await
            .unwrap();
        assert_eq!(pairs, vec![pair("grant_type", "refresh_token")]);
        assert!(
            parse_body(
                Some("multipart/form-data; boundary=XX"),
                Bytes::from("garbage")
            )
            .await
            .is_err()
        );
    }
}
