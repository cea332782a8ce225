//! Turning a resource's `Properties` JSON into a typed model without losing what AWS sent.
//!
//! [`decode_model`] is the one entry point every typed read uses (`get`, the model after a
//! create); a failure is an [`Error::Decode`] carrying the JSON path of the offending value
//! and the raw JSON, so the caller can still use it. Listings do not fail on one resource:
//! each resource is a [`ListItem`], either decoded or [`Undecoded`] (identifier, raw JSON,
//! path and reason), and the listing goes on.
//!
//! The happy path decodes straight from the text; only a failure decodes a second time with
//! path tracking (`serde_path_to_error`) and parses the raw JSON.

use serde::de::DeserializeOwned;

use crate::error::Error;

/// Decodes a resource's `Properties` JSON text (`raw`) into `T`.
///
/// # Errors
///
/// [`Error::Decode`] naming `type_name`, `identifier`, the JSON path of the value that did not
/// decode (`Tags[0].Value`; `.` for the whole document) and the reason, with the raw JSON
/// attached (a JSON string holding the text when it is not JSON at all).
pub fn decode_model<T: DeserializeOwned>(
    type_name: &str,
    identifier: Option<&str>,
    raw: &str,
) -> Result<T, Error> {
    decode_text(raw).map_err(|failure| Error::Decode {
        type_name: type_name.to_owned(),
        identifier: identifier.map(str::to_owned),
        path: failure.path,
        message: failure.message,
        raw: Box::new(raw_value(raw)),
    })
}

/// Why a text did not decode.
struct Failure {
    path: String,
    message: String,
}

fn decode_text<T: DeserializeOwned>(raw: &str) -> Result<T, Failure> {
    match serde_json::from_str(raw) {
        Ok(value) => Ok(value),
        Err(_) => {
            // Again, tracking the path: only failures pay for it.
            let mut de = serde_json::Deserializer::from_str(raw);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => Err(Failure {
                    path: e.path().to_string(),
                    message: e.inner().to_string(),
                }),
                // Cannot happen (same input, same decoder); report it rather than guess.
                Ok(_) => Err(Failure {
                    path: ".".to_owned(),
                    message: "decoding failed once and succeeded when retried".to_owned(),
                }),
            }
        }
    }
}

/// The raw JSON of a properties text; a JSON string holding the text when it is not JSON.
fn raw_value(raw: &str) -> serde_json::Value {
    serde_json::from_str(raw).unwrap_or_else(|_| serde_json::Value::String(raw.to_owned()))
}

/// One resource of a listing: decoded into `T`, or kept raw with the reason it did not decode.
/// A listing never drops a resource: every one it returns is one item.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ListItem<T> {
    /// The resource decoded.
    Decoded(T),
    /// The resource did not decode; its identifier, raw JSON and the decode error.
    Undecoded(Box<Undecoded>),
}

impl<T> ListItem<T> {
    /// The decoded value, if the resource decoded.
    pub fn decoded(&self) -> Option<&T> {
        match self {
            ListItem::Decoded(value) => Some(value),
            ListItem::Undecoded(_) => None,
        }
    }

    /// The undecoded resource, if it did not decode.
    pub fn undecoded(&self) -> Option<&Undecoded> {
        match self {
            ListItem::Decoded(_) => None,
            ListItem::Undecoded(undecoded) => Some(undecoded),
        }
    }

    /// The decoded value, or the [`Error::Decode`] of the undecoded resource.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the resource did not decode.
    pub fn into_result(self) -> Result<T, Error> {
        match self {
            ListItem::Decoded(value) => Ok(value),
            ListItem::Undecoded(undecoded) => Err(undecoded.into_error()),
        }
    }

    /// Maps the decoded value (e.g. a model into a row); undecoded items stay as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ListItem<U> {
        match self {
            ListItem::Decoded(value) => ListItem::Decoded(f(value)),
            ListItem::Undecoded(undecoded) => ListItem::Undecoded(undecoded),
        }
    }
}

/// Every decoded value of a listing, or the [`Error::Decode`] of its first undecoded item: for
/// callers that want the whole listing typed or nothing.
///
/// # Errors
///
/// [`Error::Decode`] of the first resource that did not decode.
pub fn all_decoded<T>(items: impl IntoIterator<Item = ListItem<T>>) -> Result<Vec<T>, Error> {
    items.into_iter().map(ListItem::into_result).collect()
}

/// A listed resource whose properties did not decode into the typed model.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Undecoded {
    /// CloudFormation type name.
    pub type_name: String,
    /// Region it was listed in.
    pub region: String,
    /// Its identifier, as AWS sent it (`None` when AWS sent none).
    pub identifier: Option<String>,
    /// Its properties as AWS sent them: `null` when AWS sent none, a JSON string holding the
    /// text when it is not JSON.
    pub raw: serde_json::Value,
    /// JSON path of the value that did not decode (`Tags[0].Value`; `.` for the whole document).
    pub path: String,
    /// Why it did not decode.
    pub message: String,
}

impl Undecoded {
    /// The same facts as an [`Error::Decode`].
    pub fn into_error(self) -> Error {
        Error::Decode {
            type_name: self.type_name,
            identifier: self.identifier,
            path: self.path,
            message: self.message,
            raw: Box::new(self.raw),
        }
    }
}

impl std::fmt::Display for Undecoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} resource {} in {} did not decode at {}: {}",
            self.type_name,
            self.identifier.as_deref().unwrap_or("<no identifier>"),
            self.region,
            self.path,
            self.message
        )
    }
}

/// Decodes one listed resource into an item (never an error: a failure is an undecoded item).
pub(crate) fn list_item<T: DeserializeOwned>(
    type_name: &str,
    region: &str,
    identifier: Option<String>,
    properties: Option<&str>,
) -> ListItem<T> {
    let failure = match properties {
        Some(raw) => match decode_text(raw) {
            Ok(value) => return ListItem::Decoded(value),
            Err(failure) => (raw_value(raw), failure),
        },
        None => (
            serde_json::Value::Null,
            Failure {
                path: ".".to_owned(),
                message: "ListResources returned no Properties".to_owned(),
            },
        ),
    };
    let (raw, Failure { path, message }) = failure;
    ListItem::Undecoded(Box::new(Undecoded {
        type_name: type_name.to_owned(),
        region: region.to_owned(),
        identifier,
        raw,
        path,
        message,
    }))
}

/// A listed resource's properties as raw JSON: `null` when AWS sent none, a JSON string
/// holding the text when it is not JSON.
pub(crate) fn raw_properties(properties: Option<&str>) -> serde_json::Value {
    properties.map_or(serde_json::Value::Null, raw_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Tag {
        key: String,
        value: String,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Model {
        name: String,
        tags: Option<Vec<Tag>>,
    }

    #[test]
    fn decode_model_decodes_and_names_the_path_of_a_failure() {
        let ok: Model = decode_model("AWS::A::B", Some("id-1"), r#"{"Name":"n"}"#).unwrap();
        assert_eq!(ok.name, "n");

        let raw = r#"{"Name":"n","Tags":[{"Key":"a","Value":"b"},{"Key":"c"}]}"#;
        let err = decode_model::<Model>("AWS::A::B", Some("id-2"), raw).unwrap_err();
        match &err {
            Error::Decode {
                type_name,
                identifier,
                path,
                message,
                raw: kept,
            } => {
                assert_eq!(type_name, "AWS::A::B");
                assert_eq!(identifier.as_deref(), Some("id-2"));
                assert_eq!(path, "Tags[1]");
                assert!(message.contains("missing field `Value`"), "{message}");
                assert_eq!(
                    **kept,
                    serde_json::from_str::<serde_json::Value>(raw).unwrap()
                );
            }
            other => panic!("expected Decode, got {other:?}"),
        }
        let shown = err.to_string();
        assert!(
            shown.contains("id-2") && shown.contains("Tags[1]"),
            "{shown}"
        );

        let err = decode_model::<Model>("AWS::A::B", None, r#"{"Name":7}"#).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { path, .. } if path == "Name"),
            "{err:?}"
        );
    }

    #[test]
    fn text_that_is_not_json_is_kept_as_a_string() {
        let err = decode_model::<Model>("AWS::A::B", None, "not json").unwrap_err();
        match err {
            Error::Decode { raw, .. } => assert_eq!(*raw, serde_json::json!("not json")),
            other => panic!("expected Decode, got {other:?}"),
        }
    }

    #[test]
    fn list_items_keep_identifier_raw_json_and_reason() {
        let item: ListItem<Model> = list_item(
            "AWS::A::B",
            "eu-west-1",
            Some("id-3".into()),
            Some(r#"{"Name":1}"#),
        );
        let undecoded = item.undecoded().expect("undecoded");
        assert_eq!(undecoded.identifier.as_deref(), Some("id-3"));
        assert_eq!(undecoded.region, "eu-west-1");
        assert_eq!(undecoded.raw, serde_json::json!({"Name": 1}));
        assert_eq!(undecoded.path, "Name");
        assert!(undecoded.to_string().contains("id-3"), "{undecoded}");
        assert!(matches!(item.into_result(), Err(Error::Decode { .. })));

        let missing: ListItem<Model> = list_item("AWS::A::B", "r", Some("id-4".into()), None);
        let undecoded = missing.undecoded().expect("undecoded");
        assert_eq!(undecoded.raw, serde_json::Value::Null);
        assert!(undecoded.message.contains("no Properties"));

        let ok: ListItem<Model> = list_item("AWS::A::B", "r", None, Some(r#"{"Name":"x"}"#));
        assert_eq!(ok.decoded().map(|m| m.name.as_str()), Some("x"));
        assert_eq!(
            all_decoded(vec![ok, missing]).unwrap_err().to_string(),
            "cannot decode AWS::A::B resource id-4 at .: ListResources returned no Properties"
        );
    }
}
