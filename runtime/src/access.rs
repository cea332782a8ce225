//! Access denied, from either place AWS reports it: an `AccessDeniedException` response to a
//! Cloud Control call (the caller may not call that API), or a `FAILED` progress event with
//! `ErrorCode: AccessDenied` (the resource handler was refused a permission the type needs).
//! Both become [`Error::AccessDenied`] with the missing actions parsed from the message.

use crate::Error;

/// The actions an IAM denial message names: the comma-separated list after
/// `not authorized to perform: ` (up to ` on resource`, ` because`, ` with ` or the end).
/// Empty when the message does not follow IAM's wording.
pub fn missing_actions(message: &str) -> Vec<String> {
    const LEAD: &str = "not authorized to perform: ";
    let Some(start) = message.find(LEAD) else {
        return Vec::new();
    };
    let rest = &message[start + LEAD.len()..];
    let end = [" on resource", " because", " with ", " (", "\n"]
        .iter()
        .filter_map(|stop| rest.find(stop))
        .min()
        .unwrap_or(rest.len());
    rest[..end]
        .split(',')
        .map(|a| a.trim().trim_end_matches('.').to_owned())
        .filter(|a| !a.is_empty() && a.contains(':'))
        .collect()
}

/// [`Error::AccessDenied`] for a call or request.
pub(crate) fn denied(
    operation: &str,
    type_name: &str,
    message: String,
    request_token: Option<String>,
) -> Error {
    // Progress events name the operation `CREATE`, `UPDATE`, `DELETE`: spell it as the API does.
    let operation = match operation {
        "CREATE" => "CreateResource",
        "UPDATE" => "UpdateResource",
        "DELETE" => "DeleteResource",
        other => other,
    };
    Error::AccessDenied {
        operation: operation.to_owned(),
        type_name: type_name.to_owned(),
        missing_actions: missing_actions(&message),
        message,
        request_token,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_aws_and_emulator_wordings() {
        assert_eq!(
            missing_actions("User: arn:aws:iam::123456789012:user/x is not authorized to perform: cloudformation:ListResources because no identity-based policy allows the cloudformation:ListResources action"),
            ["cloudformation:ListResources"]
        );
        assert_eq!(
            missing_actions("User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:1:log-group:g:log-stream: because no identity-based policy allows the logs:CreateLogGroup action (Service: CloudWatchLogs, Status Code: 400)"),
            ["logs:CreateLogGroup"]
        );
        assert_eq!(
            missing_actions("User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: logs:TagResource, s3:REST.PUT.OBJECT with an explicit deny in an identity-based policy"),
            ["logs:TagResource", "s3:REST.PUT.OBJECT"]
        );
        assert!(missing_actions("Access Denied").is_empty());
    }
}
