local diff = {
	["axisDiffs"] = {
		["a2004cdnil"] = {
			["changed"] = {
				[1] = {
					["filter"] = {
						["curvature"] = {
							[1] = 0.05,
						},
						["deadzone"] = 0.01,
						["invert"] = false,
						["saturationX"] = 1,
						["saturationY"] = 1,
						["slider"] = true,
					},
					["key"] = "JOY_Z",
				},
			},
			["name"] = "Throttle Both",
		},
		["a2005cdnil"] = {
			["added"] = {
				[1] = {
					["filter"] = {
						["deadzone"] = 7,
						["invert"] = "yes",
					},
					["key"] = "JOY_RZ",
				},
			},
			["name"] = "Throttle Left",
			["removed"] = {
				[1] = {
					["key"] = "JOY_Z",
				},
			},
		},
	},
	["keyDiffs"] = {
		["d3001pnilu3001cd75vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "JOY_BTN20",
				},
				[2] = {
					["key"] = "JOY_BTN20",
					["reformers"] = {
						[1] = "LAlt",
					},
				},
			},
			["name"] = "HMCS Power 3-pos Switch : ON<>OFF",
		},
		["d3001pnilunilcd75vd0vpnilvunil"] = {
			["added"] = {
				[1] = {
					["key"] = "JOY_BTN_POV1_UL",
					["reformers"] = {
						[1] = "LCtrl",
						[2] = "RCtrl",
						[3] = "LShift",
						[4] = "LWin",
						[5] = "JOY_BTN30",
					},
				},
				[2] = {
					["reformers"] = {
						[1] = "LShift",
					},
				},
			},
			["name"] = "HMCS Power OFF",
		},
		["d3002pnilunilcd75vd1vpnilvunil"] = "JOY_BTN3",
		["d3003pnilu3003cd75vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "Num5",
					["reformers"] = {
						[1] = "JOY_BTN30",
					},
				},
			},
			["name"] = "Speed Brake Retract",
		},
	},
}
return diff
