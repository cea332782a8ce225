//! cfn-import (work in progress)
