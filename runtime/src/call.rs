//! One Cloud Control call with the runtime's retry loop, and the mapping of SDK errors onto
//! [`Error`].

use std::future::Future;

use aws_sdk_cloudcontrol::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::backoff::{unit_random, RetrySettings};
use crate::error::Error;

/// What a call is about, for error messages and logs.
pub(crate) struct Call<'a> {
    pub operation: &'static str,
    pub type_name: &'a str,
    pub region: &'a str,
}

/// An SDK failure sorted into the runtime's categories.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Failure {
    /// A throttling response (always retryable).
    Throttled { code: String, message: String },
    /// Any other error response.
    Service {
        code: String,
        message: String,
        status: Option<u16>,
        retryable: bool,
    },
    /// No usable response.
    Transport { message: String, retryable: bool },
}

/// Error codes the AWS SDKs treat as throttling.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes that mean "try again" without being throttling.
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// HTTP statuses the AWS SDKs retry whatever the body says.
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

impl Failure {
    pub(crate) fn retryable(&self) -> bool {
        match self {
            Failure::Throttled { .. } => true,
            Failure::Service { retryable, .. } | Failure::Transport { retryable, .. } => *retryable,
        }
    }

    /// Sorts an error response by code and HTTP status.
    pub(crate) fn from_response(
        code: Option<&str>,
        message: Option<&str>,
        status: Option<u16>,
    ) -> Failure {
        let message = message.unwrap_or("").to_owned();
        let transient_status = status.is_some_and(|s| TRANSIENT_STATUSES.contains(&s));
        match code {
            Some(code) if THROTTLING_CODES.contains(&code) => Failure::Throttled {
                code: code.to_owned(),
                message,
            },
            Some(code) => Failure::Service {
                code: code.to_owned(),
                message,
                status,
                retryable: transient_status || TRANSIENT_CODES.contains(&code),
            },
            // 429 without a code is still throttling.
            None if status == Some(429) => Failure::Throttled {
                code: "HTTP 429".to_owned(),
                message,
            },
            // An error page without a code (a proxy's HTML 502, say) is not an AWS answer.
            None => Failure::Transport {
                message: match status {
                    Some(s) => format!("HTTP {s} without an AWS error code"),
                    None => "error response without an AWS error code".to_owned(),
                },
                retryable: transient_status,
            },
        }
    }

    /// Sorts any SDK error.
    pub(crate) fn from_sdk<E>(err: SdkError<E, HttpResponse>) -> Failure
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        match &err {
            SdkError::ServiceError(se) => {
                let status = se.raw().status().as_u16();
                let e = se.err();
                Failure::from_response(e.code(), e.message(), Some(status))
            }
            SdkError::TimeoutError(_) => Failure::Transport {
                message: format!("timed out: {}", DisplayErrorContext(&err)),
                retryable: true,
            },
            SdkError::DispatchFailure(d) => Failure::Transport {
                message: DisplayErrorContext(&err).to_string(),
                // IO and timeouts are transient; "user" errors (e.g. no credentials) are not.
                retryable: d.is_io() || d.is_timeout(),
            },
            SdkError::ResponseError(_) => Failure::Transport {
                message: format!("unreadable response: {}", DisplayErrorContext(&err)),
                retryable: false,
            },
            _ => Failure::Transport {
                message: DisplayErrorContext(&err).to_string(),
                retryable: false,
            },
        }
    }

    pub(crate) fn into_error(self, call: &Call<'_>, attempts: u32) -> Error {
        match self {
            Failure::Throttled { code, message } => Error::Throttled {
                operation: call.operation,
                type_name: call.type_name.to_owned(),
                region: call.region.to_owned(),
                code,
                message,
                attempts,
            },
            Failure::Service { code, message, .. } if code == "AccessDeniedException" => {
                crate::access::denied(call.operation, call.type_name, message, None)
            }
            Failure::Service {
                code,
                message,
                status,
                ..
            } => crate::refused::typed(&code, call, &message).unwrap_or_else(|| Error::Service {
                operation: call.operation,
                type_name: call.type_name.to_owned(),
                region: call.region.to_owned(),
                code,
                message,
                status,
            }),
            Failure::Transport { message, .. } => Error::Transport {
                operation: call.operation,
                type_name: call.type_name.to_owned(),
                region: call.region.to_owned(),
                message,
                attempts,
            },
        }
    }
}

/// Runs `send` until it succeeds, fails for good, or the attempts run out. `send` is called
/// afresh for every attempt and must rebuild the *same* request (for create: same ClientToken).
pub(crate) async fn with_retries<T, E, F, Fut>(
    call: &Call<'_>,
    retry: &RetrySettings,
    mut send: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let mut attempt: u32 = 1;
    loop {
        match send().await {
            Ok(v) => return Ok(v),
            Err(err) => {
                let failure = Failure::from_sdk(err);
                if failure.retryable() && attempt < retry.max_attempts {
                    let delay = retry.delay(attempt, unit_random());
                    tracing::debug!(
                        operation = call.operation,
                        attempt,
                        ?delay,
                        failure = ?failure,
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                    continue;
                }
                return Err(failure.into_error(call, attempt));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_is_recognised_by_code_or_429() {
        for code in [
            "ThrottlingException",
            "Throttling",
            "TooManyRequestsException",
        ] {
            let f = Failure::from_response(Some(code), Some("slow down"), Some(400));
            assert!(matches!(f, Failure::Throttled { .. }), "{code}: {f:?}");
            assert!(f.retryable());
        }
        let f = Failure::from_response(None, None, Some(429));
        assert!(matches!(f, Failure::Throttled { .. }));
    }

    #[test]
    fn server_faults_retry_client_faults_do_not() {
        let f = Failure::from_response(
            Some("HandlerInternalFailureException"),
            Some("x"),
            Some(502),
        );
        assert!(matches!(
            f,
            Failure::Service {
                retryable: true,
                ..
            }
        ));
        let f = Failure::from_response(Some("InvalidRequestException"), Some("x"), Some(400));
        assert!(matches!(
            f,
            Failure::Service {
                retryable: false,
                ..
            }
        ));
        let f = Failure::from_response(Some("RequestTimeoutException"), None, Some(400));
        assert!(f.retryable());
        let f = Failure::from_response(None, None, Some(503));
        assert!(matches!(
            f,
            Failure::Transport {
                retryable: true,
                ..
            }
        ));
        let f = Failure::from_response(None, None, Some(404));
        assert!(matches!(
            f,
            Failure::Transport {
                retryable: false,
                ..
            }
        ));
    }

    #[test]
    fn errors_keep_call_context() {
        let call = Call {
            operation: "ListResources",
            type_name: "AWS::X::Y",
            region: "eu-west-1",
        };
        let e = Failure::from_response(
            Some("ThrottlingException"),
            Some("Rate exceeded"),
            Some(429),
        )
        .into_error(&call, 4);
        let shown = e.to_string();
        assert!(shown.contains("throttled after 4 attempts"), "{shown}");
        assert!(
            shown.contains("AWS::X::Y") && shown.contains("eu-west-1"),
            "{shown}"
        );
        assert_eq!(e.code(), Some("ThrottlingException"));
    }
}
