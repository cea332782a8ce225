//! The CloudFormation property sets of a resource schema ([`PropertySets`]): property paths as
//! [`provider_spec::paths`] reads them, the primary identifier by [`provider_spec::index`]'s rule.

use crate::model::PropertySets;
use provider_spec::document::{RawResource, RawSchema};
use provider_spec::paths::property_paths;

/// The property sets of a Cloud Control resource and its CloudFormation resource schema.
pub(super) fn property_sets(resource: &RawResource, schema: &RawSchema) -> PropertySets {
    PropertySets {
        read_only: property_paths(schema.read_only_properties.as_deref()),
        create_only: property_paths(schema.create_only_properties.as_deref()),
        write_only: property_paths(schema.write_only_properties.as_deref()),
        required: schema
            .required_properties
            .clone()
            .or_else(|| schema.required.clone())
            .unwrap_or_default(),
        list_required: schema.list_required_properties.clone().unwrap_or_default(),
        primary_identifier: provider_spec::index::primary_identifier(resource, Some(schema)),
    }
}
