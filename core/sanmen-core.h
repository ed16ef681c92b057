/* sanmen-core.h — everything libsanmen-core offers */
#pragma once

#include "sm-change.h"
#include "sm-conflict.h"
#include "sm-dashboard.h"
#include "sm-demo.h"
#include "sm-hlc.h"
#include "sm-merge.h"
#include "sm-pinyin.h"
#include "sm-record.h"
#include "sm-report-export.h"
#include "sm-roster-import.h"
#include "sm-schema.h"
#include "sm-search-text.h"
#include "sm-store.h"
#include "sm-sync.h"
#include "sm-validate.h"
