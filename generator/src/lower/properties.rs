//! The CloudFormation property sets of a resource schema ([`PropertySets`]) and property paths.

use crate::model::PropertySets;
use crate::spec::RawSchema;

/// Property paths as written in the schema (`/properties/A/B` or `A`) → `A/B` / `A`.
fn property_paths(paths: &Option<Vec<String>>) -> Vec<String> {
    paths
        .iter()
        .flatten()
        .map(|p| {
            p.strip_prefix("/properties/")
                .unwrap_or(p)
                .replace("/properties/", "/")
                .replace("/*/", "/")
        })
        .collect()
}

/// The property sets of a CloudFormation resource schema.
pub(super) fn property_sets(schema: &RawSchema) -> PropertySets {
    PropertySets {
        read_only: property_paths(&schema.read_only_properties),
        create_only: property_paths(&schema.create_only_properties),
        write_only: property_paths(&schema.write_only_properties),
        required: schema
            .required_properties
            .clone()
            .or_else(|| schema.required.clone())
            .unwrap_or_default(),
        list_required: schema.list_required_properties.clone().unwrap_or_default(),
        primary_identifier: property_paths(&schema.primary_identifier),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_paths_drop_the_properties_prefix() {
        let paths = Some(vec![
            "/properties/Arn".to_owned(),
            "/properties/Config/properties/Id".to_owned(),
            "Name".to_owned(),
        ]);
        assert_eq!(property_paths(&paths), vec!["Arn", "Config/Id", "Name"]);
    }
}
