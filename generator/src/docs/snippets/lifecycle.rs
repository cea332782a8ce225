use aws_cloudcontrol_resources::logs::{self, log_group, log_groups};
use aws_cloudcontrol_resources::runtime::{Client, Error, ListItem};

let client = Client::from_env().await;
let region = "us-east-1";

// Create, and wait until Cloud Control reports the outcome.
let input = logs::CreateLogGroup::new().with_log_group_name("app-logs");
let created = log_groups::create(&client, region, &input).await?;

// Get: the typed model (a missing resource is Error::NotFound).
let current: logs::LogGroup = log_group::get(&client, region, &created.identifier).await?;

// Update with a typed patch: setters exist only for properties an update may change.
let patch = logs::UpdateLogGroup::new().set_retention_in_days(30);
log_group::update(&client, region, "app-logs", &patch).await?;
// Or the minimal patch between two models (a create-only change is a DiffError).
let mut desired = current.clone();
desired.retention_in_days = Some(7);
let patch = logs::UpdateLogGroup::from_diff(&current, &desired)?;
log_group::update(&client, region, "app-logs", &patch).await?;

// List every page: typed rows, or undecoded items that do not end the listing.
for item in log_groups::list(&client, region).await? {
    if let ListItem::Decoded(row) = item {
        println!("{:?} in {}", row.log_group_name, row.region);
    }
}

// Delete, and wait; reading it again is NotFound.
log_group::delete(&client, region, "app-logs").await?;
let gone = log_group::get(&client, region, "app-logs").await;
assert!(matches!(gone, Err(Error::NotFound { .. })));
