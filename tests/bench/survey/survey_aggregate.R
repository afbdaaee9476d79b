# The survey benchmark of issue 17 in base R: read.csv, then one aggregate
# by task over the answers in long form (one row per respondent and task).
#
#   Rscript --vanilla tests/bench/survey/survey_aggregate.R FILE.csv
#
# Prints what survey.kader prints: per task n, mean, the 95% interval of the
# mean (Student's t, clamped to the scale 1 to 10 as Kader's mean_interval
# does), the share of "ja" in % and the modal bin (the first of equals).
args <- commandArgs(trailingOnly = TRUE)
tasks <- c("intake", "overleg", "toetsing", "advies", "registratie")
bins <- c("<5", "5-10", ">10")

d <- read.csv(args[1], sep = ";", dec = ",", na.strings = "",
              stringsAsFactors = FALSE)
# the answers coded as numbers: "ja" 1 and "nee" 0 (so its mean is the
# share of "ja"), a bin its position; missing stays NA
long <- data.frame(
  task = factor(rep(tasks, each = nrow(d)), levels = tasks),
  cijfer = unlist(d[paste0(tasks, ".cijfer")], use.names = FALSE),
  ja = as.integer(unlist(d[paste0(tasks, ".past")], use.names = FALSE) == "ja"),
  uren = match(unlist(d[paste0(tasks, ".uren")], use.names = FALSE), bins))

# One aggregate call: the grouping of 5 million rows is the costly part, so
# it is done once; each column's missing answers are left out per column
# (the formula interface would drop a row when any of its answers is
# missing, and build a model frame first).
per_task <- aggregate(long[c("cijfer", "ja", "uren")], by = long["task"], FUN = function(x) {
  x <- x[!is.na(x)]
  c(n = length(x), mean = mean(x), sd = sd(x),
    mode = which.max(tabulate(x, length(bins))))
})

for (i in seq_along(tasks)) {
  row <- per_task$task == tasks[i]
  g <- per_task$cijfer[row, ]
  half <- qt(0.975, g[["n"]] - 1) * g[["sd"]] / sqrt(g[["n"]])
  cat(sprintf("%s\t%d\t%.6f\t%.6f\t%.6f\t%.6f\t%s\n", tasks[i], as.integer(g[["n"]]),
              g[["mean"]], max(1, g[["mean"]] - half), min(10, g[["mean"]] + half),
              100 * per_task$ja[row, "mean"], bins[per_task$uren[row, "mode"]]))
}
