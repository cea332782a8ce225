//! `cloudcontrol policy <resource-id>[:op,op,...] ...`: prints the least-privilege IAM policy
//! for the given operations, built by the generated crate's `policy::Policy` from the registry.
//! Offline: no client, no credentials. Operations default to those the resource's docs page
//! lists (`create,list` for a list resource, `read,update,delete` for a singular one).

use std::io::Write as _;
use std::process::ExitCode;

use aws_cloudcontrol_resources::policy::{Operation, Policy};
use aws_cloudcontrol_resources::ResourceInfo;

use crate::lookup;

/// Arguments of `cloudcontrol policy`.
#[derive(Debug, clap::Args)]
pub struct PolicyArgs {
    /// Resource ids with optional operations, e.g. `aws.logs.log_groups:list,create`
    /// (operations: create, read, update, delete, list; default: the resource's own).
    #[arg(required = true, value_name = "RESOURCE[:OP,OP...]")]
    pub resources: Vec<String>,
    /// Also allow `cloudformation:CancelResourceRequest`.
    #[arg(long)]
    pub cancel: bool,
    /// Also allow `cloudformation:ListResourceRequests`.
    #[arg(long)]
    pub list_requests: bool,
}

/// What `cloudcontrol policy` rejects (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The id is not in the registry.
    #[error("unknown resource id `{id}`{}", lookup::suggestion_text(.suggestions))]
    UnknownResource {
        /// The id as given.
        id: String,
        /// Close ids.
        suggestions: Vec<&'static str>,
    },
    /// Not one of the five operations.
    #[error("unknown operation `{operation}` in `{arg}`: operations are create, read, update, delete, list")]
    UnknownOperation {
        /// The operation as given.
        operation: String,
        /// The whole argument.
        arg: String,
    },
    /// The resource's type has no handler for the operation.
    #[error("{id} ({type_name}) has no `{operation}` handler; it supports: {supported}")]
    Unsupported {
        /// Resource id.
        id: &'static str,
        /// CloudFormation type.
        type_name: &'static str,
        /// The operation asked for.
        operation: Operation,
        /// What it supports, comma-separated.
        supported: String,
    },
    /// No operation given and the resource has none by default.
    #[error("{id} ({type_name}) has no operations with handler permissions; name them, e.g. `{id}:read`")]
    NoOperations {
        /// Resource id.
        id: &'static str,
        /// CloudFormation type.
        type_name: &'static str,
    },
}

/// Runs the command: the policy on stdout, or the error on stderr and exit status 2.
pub fn main(args: PolicyArgs) -> ExitCode {
    match build(&args) {
        Ok(policy) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(policy.to_json().as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: cannot write output: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// The policy the arguments ask for.
pub fn build(args: &PolicyArgs) -> Result<Policy, PolicyError> {
    let mut policy = Policy::new();
    for arg in &args.resources {
        let (info, operations) = parse(arg)?;
        policy = policy.allow(info, &operations);
    }
    if args.cancel {
        policy = policy.allow_cancel();
    }
    if args.list_requests {
        policy = policy.allow_list_requests();
    }
    Ok(policy)
}

/// One `id[:op,op,...]` argument.
fn parse(arg: &str) -> Result<(&'static ResourceInfo, Vec<Operation>), PolicyError> {
    let (id, ops) = match arg.split_once(':') {
        Some((id, ops)) => (id, Some(ops)),
        None => (arg, None),
    };
    let info = lookup::find(id).map_err(|_| PolicyError::UnknownResource {
        id: id.to_owned(),
        suggestions: lookup::suggestions(&lookup::full_id(id)),
    })?;
    let Some(ops) = ops else {
        let defaults = Operation::defaults(info);
        if defaults.is_empty() {
            return Err(PolicyError::NoOperations {
                id: info.id,
                type_name: info.type_name,
            });
        }
        return Ok((info, defaults));
    };
    let mut operations = Vec::new();
    for name in ops.split(',') {
        let operation =
            Operation::from_name(name).ok_or_else(|| PolicyError::UnknownOperation {
                operation: name.trim().to_owned(),
                arg: arg.to_owned(),
            })?;
        if !operation.is_supported_by(info) {
            let supported: Vec<&str> = Operation::ALL
                .into_iter()
                .filter(|op| op.is_supported_by(info))
                .map(Operation::handler)
                .collect();
            return Err(PolicyError::Unsupported {
                id: info.id,
                type_name: info.type_name,
                operation,
                supported: if supported.is_empty() {
                    "none".to_owned()
                } else {
                    supported.join(", ")
                },
            });
        }
        operations.push(operation);
    }
    Ok((info, operations))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(resources: &[&str]) -> PolicyArgs {
        PolicyArgs {
            resources: resources.iter().map(|s| (*s).to_owned()).collect(),
            cancel: false,
            list_requests: false,
        }
    }

    #[test]
    fn defaults_are_the_docs_page_operations() {
        let (_, ops) = parse("aws.logs.log_groups").unwrap();
        assert_eq!(ops, [Operation::Create, Operation::List]);
        let (_, ops) = parse("logs.log_group").unwrap();
        assert_eq!(ops, [Operation::Read, Operation::Update, Operation::Delete]);
    }

    #[test]
    fn unknown_operation_and_unsupported_handler() {
        let error = build(&args(&["aws.logs.log_groups:list,frobnicate"])).unwrap_err();
        assert!(
            matches!(&error, PolicyError::UnknownOperation { operation, .. } if operation == "frobnicate")
        );
        // certificates (AWS::ACMPCA::Certificate) is create-only: no list handler.
        let error = build(&args(&["aws.acmpca.certificates:list"])).unwrap_err();
        assert!(
            matches!(
                error,
                PolicyError::Unsupported {
                    operation: Operation::List,
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn unknown_id_suggests_a_close_one() {
        let error = build(&args(&["aws.logs.log_grups:list"])).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("did you mean aws.logs.log_groups"), "{text}");
    }
}
