//! cloudcontrol-emulator (work in progress)
