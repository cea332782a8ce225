//! Resource ids to registry entries, with suggestions for unknown ids.

use aws_cloudcontrol_resources::{resource, ResourceInfo, ResourceKind, RESOURCES};

use crate::CliError;

/// The registry entry of `id` (`aws.codeconnections.connections` or
/// `codeconnections.connections`).
pub fn find(id: &str) -> Result<&'static ResourceInfo, CliError> {
    let full = full_id(id);
    resource(&full).ok_or_else(|| CliError::UnknownResource {
        id: id.to_owned(),
        suggestions: suggestions(&full),
    })
}

/// `aws.` is the only provider, so ids without a provider get it.
pub fn full_id(id: &str) -> String {
    let id = id.trim().to_ascii_lowercase();
    if id.starts_with("aws.") {
        id
    } else {
        format!("aws.{id}")
    }
}

/// Up to five known ids close to `full`: same service and resource name typos (edit distance
/// at most 3), or ids containing the resource name asked for; closest first, then by id.
pub fn suggestions(full: &str) -> Vec<&'static str> {
    let wanted_name = full.rsplit('.').next().unwrap_or(full);
    let mut scored: Vec<(usize, &'static str)> = RESOURCES
        .iter()
        .filter_map(|info| {
            let distance = levenshtein(full, info.id);
            let contains = !wanted_name.is_empty() && info.id.ends_with(&format!(".{wanted_name}"));
            if distance <= 3 {
                Some((distance, info.id))
            } else if contains {
                Some((4, info.id))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, id)| id).collect()
}

/// ` (did you mean ...?)`, or a hint where the ids are listed.
pub fn suggestion_text(suggestions: &[&str]) -> String {
    if suggestions.is_empty() {
        " (resource ids look like `aws.codeconnections.connections`; see the docs site)".to_owned()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

/// For singular resources: the plural resource of the same type, which lists.
pub fn plural_hint(info: &ResourceInfo) -> String {
    RESOURCES
        .iter()
        .find(|other| other.type_name == info.type_name && other.kind == ResourceKind::List)
        .map(|other| format!("; list with `{}`", other.id))
        .unwrap_or_default()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current[j + 1] = (previous[j] + cost)
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_with_and_without_provider() {
        assert_eq!(
            find("aws.codeconnections.connections").unwrap().type_name,
            "AWS::CodeConnections::Connection"
        );
        assert_eq!(
            find("codeconnections.connections").unwrap().id,
            "aws.codeconnections.connections"
        );
    }

    #[test]
    fn typos_get_suggestions() {
        let Err(CliError::UnknownResource { suggestions, .. }) = find("codeconnections.conections")
        else {
            panic!("expected an unknown resource");
        };
        assert_eq!(
            suggestions.first(),
            Some(&"aws.codeconnections.connections")
        );
    }

    #[test]
    fn distance() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "ab"), 2);
    }
}
