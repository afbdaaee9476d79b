# The survey benchmark of issue 17 in base R: read.csv, then aggregate by
# task over the answers in long form (one row per respondent and task).
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
long <- data.frame(
  task = factor(rep(tasks, each = nrow(d)), levels = tasks),
  cijfer = unlist(d[paste0(tasks, ".cijfer")], use.names = FALSE),
  past = unlist(d[paste0(tasks, ".past")], use.names = FALSE),
  uren = unlist(d[paste0(tasks, ".uren")], use.names = FALSE),
  stringsAsFactors = FALSE)

# the formula interface leaves out the rows where the answer is missing
grades <- aggregate(cijfer ~ task, data = long,
                    FUN = function(x) c(n = length(x), mean = mean(x), sd = sd(x)))
yes <- aggregate(past ~ task, data = long, FUN = function(x) 100 * mean(x == "ja"))
modal <- aggregate(uren ~ task, data = long,
                   FUN = function(x) bins[which.max(tabulate(match(x, bins), length(bins)))])

for (i in seq_along(tasks)) {
  g <- grades$cijfer[grades$task == tasks[i], ]
  half <- qt(0.975, g[["n"]] - 1) * g[["sd"]] / sqrt(g[["n"]])
  cat(sprintf("%s\t%d\t%.6f\t%.6f\t%.6f\t%.6f\t%s\n", tasks[i], as.integer(g[["n"]]),
              g[["mean"]], max(1, g[["mean"]] - half), min(10, g[["mean"]] + half),
              yes$past[yes$task == tasks[i]], modal$uren[modal$task == tasks[i]]))
}
