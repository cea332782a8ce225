//! cloudcontrol-runtime (work in progress)
